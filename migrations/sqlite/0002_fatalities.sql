-- The most deadly events (`min_fatalities`): found through this index
-- instead of a scan of the table. Its statistics are gathered at once so
-- that the planner knows how selective a threshold is.
CREATE INDEX events_fatalities ON events(fatalities) WHERE fatalities IS NOT NULL;
ANALYZE events_fatalities;
