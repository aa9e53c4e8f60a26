/** The spec's worked examples (create-sync-job.md, vectors.json), shipped with the package so the suite needs no files of its own. */
export const VECTORS_DATA = {
  "about": "Worked examples of spec sections 1-2: a stored connector document (Elasticsearch shape), a request body, and the expected outcome. In expected documents, \"<now>\" stands for the clock's instant as ISO-8601 UTC; the job id is not part of the stored document.",
  "connectors": {
    "plain": {
      "index_name": "search-test",
      "name": "my-connector",
      "language": "de",
      "is_native": false,
      "service_type": "super-connector"
    },
    "rich": {
      "index_name": "search-rich",
      "name": "rich",
      "language": null,
      "is_native": true,
      "service_type": "sharepoint_online",
      "pipeline": {
        "extract_binary_content": true,
        "name": "test-pipeline",
        "reduce_whitespace": true,
        "run_ml_inference": false
      },
      "configuration": {
        "some_field": {
          "default_value": null,
          "depends_on": [
            {
              "field": "some_field",
              "value": 31
            }
          ],
          "display": "numeric",
          "label": "Very important field",
          "options": [],
          "order": 4,
          "required": true,
          "sensitive": false,
          "tooltip": "Wow, this tooltip is useful.",
          "type": "str",
          "ui_restrictions": [],
          "validations": [
            {
              "constraint": 0,
              "type": "greater_than"
            }
          ],
          "value": 456
        }
      },
      "filtering": [
        {
          "domain": "DEFAULT",
          "active": {
            "advanced_snippet": {
              "created_at": "2023-05-25T12:30:00.000Z",
              "updated_at": "2023-05-25T12:30:00.000Z",
              "value": {}
            },
            "rules": [
              {
                "created_at": "2023-05-25T12:30:00.000Z",
                "field": "_",
                "id": "RULE-ACTIVE-SYNC-JOB-TEST",
                "order": 0,
                "policy": "include",
                "rule": "regex",
                "updated_at": "2023-05-25T12:30:00.000Z",
                "value": ".*"
              }
            ],
            "validation": {
              "errors": [],
              "state": "valid"
            }
          },
          "draft": {
            "advanced_snippet": {
              "created_at": "2023-05-25T12:30:00.000Z",
              "updated_at": "2023-05-25T12:30:00.000Z",
              "value": {}
            },
            "rules": [
              {
                "created_at": "2023-05-25T12:30:00.000Z",
                "field": "_",
                "id": "RULE-DRAFT-0",
                "order": 0,
                "policy": "include",
                "rule": "regex",
                "updated_at": "2023-05-25T12:30:00.000Z",
                "value": ".*"
              }
            ],
            "validation": {
              "errors": [],
              "state": "valid"
            }
          }
        },
        {
          "domain": "TEST",
          "active": {
            "advanced_snippet": {
              "created_at": "2021-05-25T12:30:00.000Z",
              "updated_at": "2021-05-25T12:30:00.000Z",
              "value": {}
            },
            "rules": [
              {
                "created_at": "2021-05-25T12:30:00.000Z",
                "field": "_",
                "id": "RULE-ACTIVE-1",
                "order": 0,
                "policy": "include",
                "rule": "regex",
                "updated_at": "2021-05-25T12:30:00.000Z",
                "value": ".*"
              }
            ],
            "validation": {
              "errors": [],
              "state": "valid"
            }
          },
          "draft": {
            "advanced_snippet": {
              "created_at": "2021-05-25T12:30:00.000Z",
              "updated_at": "2021-05-25T12:30:00.000Z",
              "value": {}
            },
            "rules": [],
            "validation": {
              "errors": [],
              "state": "valid"
            }
          }
        }
      ]
    },
    "detached": {
      "name": "detached",
      "is_native": false,
      "service_type": "super-connector"
    },
    "no-service-type": {
      "index_name": "search-test-2",
      "name": "nst",
      "is_native": false
    },
    "soft-deleted": {
      "index_name": "search-gone",
      "name": "gone",
      "is_native": false,
      "service_type": "super-connector",
      "deleted": true
    }
  },
  "cases": [
    {
      "name": "defaults",
      "connector": "plain",
      "request": {
        "id": "plain"
      },
      "expect": {
        "document": {
          "connector": {
            "id": "plain",
            "index_name": "search-test",
            "language": "de",
            "service_type": "super-connector"
          },
          "created_at": "<now>",
          "deleted_document_count": 0,
          "indexed_document_count": 0,
          "indexed_document_volume": 0,
          "job_type": "full",
          "last_seen": "<now>",
          "metadata": {},
          "status": "pending",
          "total_document_count": 0,
          "trigger_method": "on_demand"
        }
      }
    },
    {
      "name": "rich snapshot: first active filtering as one object, null language left out",
      "connector": "rich",
      "request": {
        "id": "rich",
        "job_type": "incremental",
        "trigger_method": "scheduled"
      },
      "expect": {
        "document": {
          "connector": {
            "id": "rich",
            "filtering": {
              "advanced_snippet": {
                "created_at": "2023-05-25T12:30:00.000Z",
                "updated_at": "2023-05-25T12:30:00.000Z",
                "value": {}
              },
              "rules": [
                {
                  "created_at": "2023-05-25T12:30:00.000Z",
                  "field": "_",
                  "id": "RULE-ACTIVE-SYNC-JOB-TEST",
                  "order": 0,
                  "policy": "include",
                  "rule": "regex",
                  "updated_at": "2023-05-25T12:30:00.000Z",
                  "value": ".*"
                }
              ],
              "validation": {
                "errors": [],
                "state": "valid"
              }
            },
            "index_name": "search-rich",
            "pipeline": {
              "extract_binary_content": true,
              "name": "test-pipeline",
              "reduce_whitespace": true,
              "run_ml_inference": false
            },
            "service_type": "sharepoint_online",
            "configuration": {
              "some_field": {
                "default_value": null,
                "depends_on": [
                  {
                    "field": "some_field",
                    "value": 31
                  }
                ],
                "display": "numeric",
                "label": "Very important field",
                "options": [],
                "order": 4,
                "required": true,
                "sensitive": false,
                "tooltip": "Wow, this tooltip is useful.",
                "type": "str",
                "ui_restrictions": [],
                "validations": [
                  {
                    "constraint": 0,
                    "type": "greater_than"
                  }
                ],
                "value": 456
              }
            }
          },
          "created_at": "<now>",
          "deleted_document_count": 0,
          "indexed_document_count": 0,
          "indexed_document_volume": 0,
          "job_type": "incremental",
          "last_seen": "<now>",
          "metadata": {},
          "status": "pending",
          "total_document_count": 0,
          "trigger_method": "scheduled"
        }
      }
    },
    {
      "name": "access control prefix, enums case-insensitive",
      "connector": "plain",
      "request": {
        "id": "plain",
        "job_type": "ACCESS_CONTROL",
        "trigger_method": "On_Demand"
      },
      "expect": {
        "document": {
          "connector": {
            "id": "plain",
            "index_name": ".search-acl-filter-search-test",
            "language": "de",
            "service_type": "super-connector"
          },
          "created_at": "<now>",
          "deleted_document_count": 0,
          "indexed_document_count": 0,
          "indexed_document_volume": 0,
          "job_type": "access_control",
          "last_seen": "<now>",
          "metadata": {},
          "status": "pending",
          "total_document_count": 0,
          "trigger_method": "on_demand"
        }
      }
    },
    {
      "name": "missing connector",
      "connector": null,
      "request": {
        "id": "nope"
      },
      "expect": {
        "error": {
          "status": 404,
          "type": "resource_not_found_exception",
          "reason": "Connector with id 'nope' does not exist."
        }
      }
    },
    {
      "name": "soft-deleted connector (deliberately stricter than upstream)",
      "connector": "soft-deleted",
      "request": {
        "id": "soft-deleted"
      },
      "expect": {
        "error": {
          "status": 404,
          "type": "resource_not_found_exception",
          "reason": "Connector with id 'soft-deleted' does not exist."
        }
      }
    },
    {
      "name": "no index attached",
      "connector": "detached",
      "request": {
        "id": "detached",
        "trigger_method": "on_demand"
      },
      "expect": {
        "error": {
          "status": 400,
          "type": "status_exception",
          "reason": "Cannot start a sync for connector [detached] with no index attached. Set the [index_name] property for the connector to enable syncing data."
        }
      }
    },
    {
      "name": "access control without index (deliberately stricter than upstream)",
      "connector": "detached",
      "request": {
        "id": "detached",
        "job_type": "access_control"
      },
      "expect": {
        "error": {
          "status": 400,
          "type": "status_exception",
          "reason": "Cannot start a sync for connector [detached] with no index attached. Set the [index_name] property for the connector to enable syncing data."
        }
      }
    },
    {
      "name": "no service type",
      "connector": "no-service-type",
      "request": {
        "id": "no-service-type"
      },
      "expect": {
        "error": {
          "status": 400,
          "type": "status_exception",
          "reason": "Cannot start a sync for connector [no-service-type] with [service_type] not defined. Set the service type of your connector before starting the sync."
        }
      }
    },
    {
      "name": "empty id",
      "connector": null,
      "request": {
        "id": ""
      },
      "expect": {
        "error": {
          "status": 400,
          "type": "action_request_validation_exception",
          "reason": "Validation Failed: 1: [id] of the connector cannot be null or empty;"
        }
      }
    },
    {
      "name": "unknown job type (text may sit in caused_by)",
      "connector": "plain",
      "request": {
        "id": "plain",
        "job_type": "nightly"
      },
      "expect": {
        "error": {
          "status": 400,
          "contains": "Unknown ConnectorSyncJobType [nightly]."
        }
      }
    },
    {
      "name": "unknown trigger method",
      "connector": "plain",
      "request": {
        "id": "plain",
        "trigger_method": ""
      },
      "expect": {
        "error": {
          "status": 400,
          "contains": "Unknown ConnectorSyncJobTriggerMethod []."
        }
      }
    },
    {
      "name": "unknown field",
      "connector": "plain",
      "request": {
        "id": "plain",
        "priority": 1
      },
      "expect": {
        "error": {
          "status": 400,
          "type": "x_content_parse_exception",
          "contains": "[connector_sync_job_post_request] unknown field [priority]"
        }
      }
    },
    {
      "name": "missing id",
      "connector": null,
      "request": {
        "job_type": "full"
      },
      "expect": {
        "error": {
          "status": 400,
          "contains": "Required [id]"
        }
      }
    }
  ]
};
