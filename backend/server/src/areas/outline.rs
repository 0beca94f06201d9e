//! A country's outline from a TopoJSON topology (world-atlas).

use geo::MultiPolygon;

/// A country's outline from a TopoJSON topology (such as world-atlas's
/// `countries-50m.json`): the geometry of `object` whose `id` or
/// `properties.name` is `wanted`.
pub fn country_from_topojson(
    json: &str,
    object: &str,
    wanted: &str,
) -> Result<MultiPolygon<f64>, String> {
    countries_from_topojson(json, object, |id, name| id == wanted || name == wanted)?
        .into_iter()
        .next()
        .map(|(_, shape)| shape)
        .ok_or_else(|| format!("no feature {wanted:?} in {object:?}"))
}

/// The id (or, without one, the name) of a TopoJSON geometry or GeoJSON
/// feature property.
fn text_of(v: Option<&serde_json::Value>) -> String {
    match v {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The polygons of `object` for which `keep(id, name)` holds, with their
/// ids, in the topology's order.
pub fn countries_from_topojson(
    json: &str,
    object: &str,
    keep: impl Fn(&str, &str) -> bool,
) -> Result<Vec<(String, MultiPolygon<f64>)>, String> {
    let mut doc: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("cannot read TopoJSON: {e}"))?;
    // Only the wanted geometries are converted: the rest of the world
    // would cost time (and a warning each from the topojson crate).
    // That crate takes only numeric feature ids; world-atlas writes strings
    // ("760"). Keep them as a property instead.
    if let Some(geoms) = doc
        .pointer_mut(&format!("/objects/{object}/geometries"))
        .and_then(|g| g.as_array_mut())
    {
        geoms.retain(|g| {
            let name = g.pointer("/properties/name").and_then(|v| v.as_str());
            keep(&text_of(g.get("id")), name.unwrap_or(""))
        });
        for g in geoms.iter_mut().filter_map(|g| g.as_object_mut()) {
            if let Some(id) = g.remove("id") {
                let props = g
                    .entry("properties")
                    .or_insert_with(|| serde_json::json!({}));
                if let Some(p) = props.as_object_mut() {
                    p.insert("id".into(), id);
                }
            }
        }
    }
    let topo = match doc {
        serde_json::Value::Object(o) => match topojson::TopoJson::from_json_object(o) {
            Ok(topojson::TopoJson::Topology(t)) => t,
            Ok(_) => return Err("not a TopoJSON topology".into()),
            Err(e) => return Err(format!("cannot read TopoJSON: {e}")),
        },
        _ => return Err("not a TopoJSON topology".into()),
    };
    let collection =
        topojson::to_geojson(&topo, object).map_err(|e| format!("no object {object:?}: {e}"))?;
    // topojson speaks an older geojson; go through JSON to the current one.
    let value = serde_json::to_value(&collection).map_err(|e| e.to_string())?;
    let collection = geojson::FeatureCollection::try_from(value).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for f in collection.features {
        let id = text_of(f.property("id"));
        let name = f.property("name").and_then(|v| v.as_str()).unwrap_or("");
        if !keep(&id, name) {
            continue;
        }
        let label = if id.is_empty() { name.to_string() } else { id };
        let Some(geometry) = f.geometry else {
            continue;
        };
        match geo::Geometry::<f64>::try_from(geometry).map_err(|e| e.to_string())? {
            geo::Geometry::Polygon(p) => out.push((label, MultiPolygon(vec![p]))),
            geo::Geometry::MultiPolygon(m) => out.push((label, m)),
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area as _, Contains, Point};

    #[test]
    fn a_country_is_read_from_topojson() {
        // Two squares sharing an arc, quantised, as world-atlas writes them.
        let topo = r#"{"type":"Topology",
          "transform":{"scale":[0.001,0.001],"translate":[36,35]},
          "objects":{"countries":{"type":"GeometryCollection","geometries":[
            {"type":"Polygon","id":"760","properties":{"name":"Syria"},"arcs":[[0,1]]},
            {"type":"Polygon","id":"422","properties":{"name":"Lebanon"},"arcs":[[-1,2]]}]}},
          "arcs":[[[1000,0],[0,1000]],[[1000,1000],[-1000,0],[0,-1000],[1000,0]],
                  [[1000,0],[1000,0],[0,1000],[-1000,0]]]}"#;
        let syria = country_from_topojson(topo, "countries", "Syria").expect("Syria");
        assert!(
            (syria.unsigned_area() - 1.0).abs() < 1e-9,
            "{}",
            syria.unsigned_area()
        );
        assert!(syria.contains(&Point::new(36.5, 35.5)));
        let by_id = country_from_topojson(topo, "countries", "422").expect("Lebanon by id");
        assert!(by_id.contains(&Point::new(37.5, 35.5)));
        assert!(country_from_topojson(topo, "countries", "Atlantis").is_err());
        assert!(country_from_topojson("{}", "countries", "Syria").is_err());
    }
}
