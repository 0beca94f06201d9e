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
    let mut doc: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("cannot read TopoJSON: {e}"))?;
    // Only the wanted geometry is converted: the rest of the world would
    // cost start-up time (and a warning each from the topojson crate).
    // That crate takes only numeric feature ids; world-atlas writes strings
    // ("760"). Keep them as a property instead.
    if let Some(geoms) = doc
        .pointer_mut(&format!("/objects/{object}/geometries"))
        .and_then(|g| g.as_array_mut())
    {
        geoms.retain(|g| {
            let id = match g.get("id") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            id == wanted || g.pointer("/properties/name").and_then(|v| v.as_str()) == Some(wanted)
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
    let feature = collection
        .features
        .into_iter()
        .find(|f| {
            let id = match f.property("id") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            id == wanted || f.property("name").and_then(|v| v.as_str()) == Some(wanted)
        })
        .ok_or_else(|| format!("no feature {wanted:?} in {object:?}"))?;
    let geometry = feature
        .geometry
        .ok_or_else(|| format!("{wanted:?} has no geometry"))?;
    match geo::Geometry::<f64>::try_from(geometry).map_err(|e| e.to_string())? {
        geo::Geometry::Polygon(p) => Ok(MultiPolygon(vec![p])),
        geo::Geometry::MultiPolygon(m) => Ok(m),
        _ => Err(format!("{wanted:?} is not a polygon")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area as _, Contains, Point};

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
