-- Reading on PostgreSQL: what building GeoJSON in the database needs.

-- A double as JSON the way SQLite's json_object writes a REAL (and serde
-- an f64): a whole number keeps its ".0" (3.0, not 3), so that a feature
-- built here reads back as the same float as the row itself.
CREATE FUNCTION frontline_json_real(x double precision) RETURNS json
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN x = trunc(x) AND abs(x) < 1e15 THEN (trunc(x)::bigint::text || '.0')::json
               ELSE to_json(x) END $$;
