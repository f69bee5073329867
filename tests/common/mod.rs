//! Builders for small hand-made networks, so each test can draw its network in a comment and
//! state the answer worked out by hand.
//!
//! Parameters are chosen for easy arithmetic: 10 t of cargo, road 50 km/h and 0.1 USD/t-km
//! (1 USD per km), rail 25 km/h and 0.05 USD/t-km (0.5 USD per km), value of time 10 USD/h,
//! transfers 2 h and 1 USD/t (10 USD), gauge changes 5 h and 2 USD/t (20 USD), borders 3 h
//! and 50 USD unless a crossing says otherwise.
#![allow(dead_code)]

use serde_json::{Value, json};

use steppe::network::Network;
use steppe::network::load::load_from_text;

pub const PARAMS: &str = r#"{
  "cargo": {"tonnes": 10.0},
  "value_of_time_usd_per_hour": 10.0,
  "speed_kmh": {"road": {"motorway": 50.0, "paved": 50.0, "gravel": 25.0, "earth": 10.0}, "rail": 25.0},
  "tariff_usd_per_tkm": {"road": 0.1, "rail": 0.05},
  "transfer": {
    "road_rail": {"hours": 2.0, "bad_day_hours": 10.0, "cost_usd_per_tonne": 1.0},
    "gauge_change": {"hours": 5.0, "bad_day_hours": 20.0, "cost_usd_per_tonne": 2.0}
  },
  "border_default": {
    "road": {"hours": 3.0, "bad_day_hours": 30.0, "fee_usd": 50.0},
    "rail": {"hours": 3.0, "bad_day_hours": 30.0, "fee_usd": 50.0}
  },
  "transit": {},
  "construction_usd_per_km": {"road_flat": 1000.0, "road_mountain": 2000.0, "rail_flat": 4000.0, "rail_mountain": 8000.0}
}"#;

/// A network under construction.
#[derive(Default, Clone)]
pub struct Net {
    pub features: Vec<Value>,
}

impl Net {
    pub fn new() -> Net {
        Net::default()
    }

    /// A place at (lon, lat).
    pub fn place(mut self, id: &str, country: &str, lon: f64, lat: f64) -> Net {
        self.features.push(json!({"type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"id": id, "name": id, "country": country, "kind": "city", "source": "test"}}));
        self
    }

    /// Adds properties to the last feature.
    pub fn with(mut self, props: Value) -> Net {
        if let (Some(last), Some(extra)) = (self.features.last_mut(), props.as_object()) {
            let p = last["properties"]
                .as_object_mut()
                .expect("feature has properties");
            for (k, v) in extra {
                p.insert(k.clone(), v.clone());
            }
        }
        self
    }

    /// A border crossing place between two countries serving the given modes.
    pub fn crossing(self, id: &str, a: &str, b: &str, lon: f64, lat: f64, modes: &[&str]) -> Net {
        let m: serde_json::Map<String, Value> =
            modes.iter().map(|m| (m.to_string(), json!({}))).collect();
        self.place(id, a, lon, lat)
            .with(json!({"kind": "border_crossing",
            "crossing": {"countries": [a, b], "modes": m}}))
    }

    fn coords_of(&self, id: &str) -> [f64; 2] {
        for f in &self.features {
            if f["properties"]["id"] == id && f["geometry"]["type"] == "Point" {
                let c = &f["geometry"]["coordinates"];
                return [c[0].as_f64().unwrap_or(0.0), c[1].as_f64().unwrap_or(0.0)];
            }
        }
        panic!("test network has no place {id}");
    }

    fn link(mut self, id: &str, from: &str, to: &str, km: f64, props: Value) -> Net {
        let a = self.coords_of(from);
        let b = self.coords_of(to);
        let mut p = json!({"id": id, "from": from, "to": to, "length_km": km, "source": "test"});
        if let (Some(p), Some(extra)) = (p.as_object_mut(), props.as_object()) {
            for (k, v) in extra {
                p.insert(k.clone(), v.clone());
            }
        }
        self.features.push(json!({"type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [a, b]},
            "properties": p}));
        self
    }

    /// A paved road of `km`.
    pub fn road(self, id: &str, from: &str, to: &str, km: f64) -> Net {
        self.link(id, from, to, km, json!({"mode": "road", "class": "paved"}))
    }

    /// A rail link of `km` and gauge.
    pub fn rail(self, id: &str, from: &str, to: &str, km: f64, gauge: u32) -> Net {
        self.link(id, from, to, km, json!({"mode": "rail", "gauge_mm": gauge}))
    }

    pub fn geojson(&self) -> String {
        serde_json::to_string_pretty(
            &json!({"type": "FeatureCollection", "features": self.features}),
        )
        .expect("serialisable")
    }

    /// Loads the network; panics with the problems if it is invalid.
    pub fn load(&self) -> Network {
        match load_from_text(
            "test",
            &self.geojson(),
            "test.geojson",
            PARAMS,
            "params.json",
        ) {
            Ok(n) => n,
            Err(e) => panic!("test network invalid: {e}"),
        }
    }
}

/// Approximate equality for figures computed by hand.
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6 * (1.0 + a.abs().max(b.abs()))
}
