-- Version 6: connector_sync_jobs_json_merge(base json, changes json) json, with which a
-- lifecycle command merges `metadata` and the sync cursor inside its one UPDATE.
--
-- The domain's `mergeJsonObjects` in SQL (Elasticsearch's `XContentHelper.update`, what
-- `_update` with a partial `doc` does): for each key of `changes`, two objects merge
-- recursively, any other value replaces; keys of `base` that `changes` does not name are kept.
-- Key order: `base`'s keys in their order, then the new keys in `changes`' order (the order
-- `mergeJsonObjects` builds). Works on `json` (not `jsonb`): values it does not merge are kept
-- as written. Both arguments must be objects (the store passes `{}` for a non-object stored
-- value). A key that `text` cannot hold (an escaped NUL or lone surrogate) raises a class 22
-- error (json_each de-escapes keys): the store then takes its read-decide-write path.
-- PL/pgSQL because the function calls itself (a SQL-language body is checked at creation,
-- before the function exists).
--
-- An applied migration is never edited: a change to the schema is a new numbered file.

CREATE FUNCTION connector_sync_jobs_json_merge(base json, changes json) RETURNS json
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
  RETURN (
    SELECT coalesce(json_object_agg(m.k, m.v ORDER BY m.o), '{}'::json)
    FROM (
      SELECT b.k,
             CASE WHEN c.k IS NULL THEN b.v
                  WHEN json_typeof(b.v) = 'object' AND json_typeof(c.v) = 'object' THEN connector_sync_jobs_json_merge(b.v, c.v)
                  ELSE c.v END AS v,
             b.o
      FROM json_each(base) WITH ORDINALITY AS b(k, v, o)
      LEFT JOIN json_each(changes) AS c(k, v) ON c.k = b.k
      UNION ALL
      SELECT c.k, c.v, 1000000000 + c.o
      FROM json_each(changes) WITH ORDINALITY AS c(k, v, o)
      WHERE NOT EXISTS (SELECT 1 FROM json_each(base) AS b(k, v) WHERE b.k = c.k)
    ) AS m
  );
END
$$;
