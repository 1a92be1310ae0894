//! Where programs are: points on the Earth in degrees, and how far apart they are.
//!
//! Coordinates are measurements, not money: floats are right here.

/// The Earth's mean radius, in kilometres.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A point: latitude from -90 to 90 degrees (north positive), longitude from -180 to 180 (east
/// positive).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub latitude: f64,
    pub longitude: f64,
}

/// Why a point was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidPoint {
    /// Not two numbers separated by a comma.
    Malformed,
    /// A latitude beyond ±90 or a longitude beyond ±180.
    OutOfRange,
}

impl Point {
    /// A point, if both coordinates are finite and in range.
    pub fn new(latitude: f64, longitude: f64) -> Result<Point, InvalidPoint> {
        if latitude.is_finite()
            && longitude.is_finite()
            && (-90.0..=90.0).contains(&latitude)
            && (-180.0..=180.0).contains(&longitude)
        {
            Ok(Point {
                latitude,
                longitude,
            })
        } else {
            Err(InvalidPoint::OutOfRange)
        }
    }

    /// A point written `LAT,LON` («54.98,73.37»), as in a query string.
    pub fn parse(text: &str) -> Result<Point, InvalidPoint> {
        let (lat, lon) = text.split_once(',').ok_or(InvalidPoint::Malformed)?;
        let number = |s: &str| s.trim().parse::<f64>().map_err(|_| InvalidPoint::Malformed);
        Point::new(number(lat)?, number(lon)?)
    }

    /// The great-circle distance to `other` in kilometres (the haversine formula).
    pub fn distance_km(self, other: Point) -> f64 {
        let (lat1, lat2) = (self.latitude.to_radians(), other.latitude.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.longitude - self.longitude).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
    }

    /// How many degrees of longitude make a degree of latitude's distance here.
    pub fn longitude_scale(self) -> f64 {
        self.latitude.to_radians().cos()
    }

    /// A key that orders points by their distance from this one, with arithmetic only: for
    /// databases without trigonometry (SQLite as bundled has no `cos`). The SQL of the catalog
    /// computes the same expression from the binds of [`Point::flat_terms`].
    ///
    /// It is the squared distance in degrees on the equirectangular map at the pair's mean
    /// latitude, `Δlat² + (Δlon · cos φm)²`, with `cos φm` expanded to the second order around this
    /// point's latitude. Within a region it orders points as the great-circle distance does, to a
    /// fraction of a per cent of the distance; it does not wrap around the antimeridian.
    pub fn flat_key(self, other: Point) -> f64 {
        let [latitude, longitude, cos, sin, half_radian] = self.flat_terms();
        let dlat = other.latitude - latitude;
        let d = dlat * half_radian;
        let scale = cos - sin * d - cos * d * d / 2.0;
        let dlon = (other.longitude - longitude) * scale;
        dlat * dlat + dlon * dlon
    }

    /// What [`Point::flat_key`] needs of this point: latitude, longitude, the cosine and sine of
    /// the latitude, and half a degree in radians.
    pub fn flat_terms(self) -> [f64; 5] {
        let radians = self.latitude.to_radians();
        [
            self.latitude,
            self.longitude,
            radians.cos(),
            radians.sin(),
            std::f64::consts::PI / 360.0,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OMSK: Point = Point {
        latitude: 54.9885,
        longitude: 73.3242,
    };
    const OSINNIKI: Point = Point {
        latitude: 53.6197,
        longitude: 87.3366,
    };

    #[test]
    fn distance_between_cities() {
        // About 930 km by the great circle.
        let d = OMSK.distance_km(OSINNIKI);
        assert!((920.0..940.0).contains(&d), "{d}");
        assert_eq!(OMSK.distance_km(OMSK), 0.0);
        assert!((OMSK.distance_km(OSINNIKI) - OSINNIKI.distance_km(OMSK)).abs() < 1e-9);
    }

    #[test]
    fn a_degree_of_latitude_is_about_111_km() {
        let a = Point::new(54.0, 73.0).unwrap();
        let b = Point::new(55.0, 73.0).unwrap();
        assert!((a.distance_km(b) - 111.2).abs() < 0.1);
    }

    #[test]
    fn parses_lat_comma_lon() {
        assert_eq!(
            Point::parse("54.9885, 73.3242"),
            Ok(OMSK),
            "spaces around the numbers are fine"
        );
        assert_eq!(Point::parse("54.98"), Err(InvalidPoint::Malformed));
        assert_eq!(Point::parse("north,east"), Err(InvalidPoint::Malformed));
        assert_eq!(Point::parse("91,73"), Err(InvalidPoint::OutOfRange));
        assert_eq!(Point::parse("54,181"), Err(InvalidPoint::OutOfRange));
        assert_eq!(Point::parse("NaN,73"), Err(InvalidPoint::OutOfRange));
    }

    #[test]
    fn the_flat_map_orders_like_the_great_circle_within_a_region() {
        let here = OMSK;
        let flat = |p: Point| here.flat_key(p);
        let mut points: Vec<Point> = (0..200)
            .map(|i| {
                let i = f64::from(i);
                Point::new(53.5 + (i * 0.37) % 4.5, 70.5 + (i * 0.73) % 6.0).unwrap()
            })
            .collect();
        points.sort_by(|a, b| flat(*a).total_cmp(&flat(*b)));
        // Across a region 500 km wide, a point ordered before another is never more than 0.2%
        // farther by the great circle.
        for pair in points.windows(2) {
            assert!(here.distance_km(pair[0]) <= here.distance_km(pair[1]) * 1.002);
        }
    }
}
