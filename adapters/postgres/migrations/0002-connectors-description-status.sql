-- Version 2: connectors.description and connectors.status (upstream's connector setup fields).
--
-- An applied migration is never edited: a change to the schema is a new numbered file.

ALTER TABLE connectors ADD COLUMN description text;
ALTER TABLE connectors ADD COLUMN status text;
