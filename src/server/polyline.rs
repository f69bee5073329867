//! Google's encoded polyline format, as OSRM writes `geometries=polyline` (precision 5) and
//! `polyline6` (precision 6): latitude first, each value the zigzag-encoded difference from
//! the previous point in 5-bit chunks offset by 63.

/// Encodes `(lon, lat)` points with `precision` decimal digits (5 or 6).
pub fn encode(points: &[(f64, f64)], precision: u32) -> String {
    let factor = 10f64.powi(precision as i32);
    let mut out = String::with_capacity(points.len() * 8);
    let (mut last_lat, mut last_lon) = (0i64, 0i64);
    for &(lon, lat) in points {
        let lat = (lat * factor).round() as i64;
        let lon = (lon * factor).round() as i64;
        push_value(&mut out, lat - last_lat);
        push_value(&mut out, lon - last_lon);
        last_lat = lat;
        last_lon = lon;
    }
    out
}

fn push_value(out: &mut String, delta: i64) {
    let mut v = if delta < 0 { !(delta << 1) } else { delta << 1 } as u64;
    while v >= 0x20 {
        out.push(char::from((((v & 0x1f) | 0x20) + 63) as u8));
        v >>= 5;
    }
    out.push(char::from((v + 63) as u8));
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn googles_example() {
        // https://developers.google.com/maps/documentation/utilities/polylinealgorithm
        let pts = [(-120.2, 38.5), (-120.95, 40.7), (-126.453, 43.252)];
        assert_eq!(encode(&pts, 5), "_p~iF~ps|U_ulLnnqC_mqNvxq`@");
    }

    #[test]
    fn empty_and_precision6() {
        assert_eq!(encode(&[], 5), "");
        assert_eq!(encode(&[(0.000001, 0.000001)], 6), "AA");
    }
}
