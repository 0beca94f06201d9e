-- A counter bumped by every change to events or places, whichever
-- process makes it (the server, `frontline ingest` beside it): what is
-- computed from them (the areas of control and front lines of a date) is
-- cached until it moves.
CREATE TABLE data_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 0);

CREATE TRIGGER data_version_events_insert AFTER INSERT ON events BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER data_version_events_update AFTER UPDATE ON events BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER data_version_events_delete AFTER DELETE ON events BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER data_version_places_insert AFTER INSERT ON places BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER data_version_places_update AFTER UPDATE ON places BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER data_version_places_delete AFTER DELETE ON places BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
