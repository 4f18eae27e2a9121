-- Records events that changed nothing (here: dead letters whose event id can be read) in spin.event_results,
-- so GET /v1/events/{eventId} tells what became of them. A JSON array of {"event", "result"} objects.
SELECT spin._record_event_results(?::jsonb)
