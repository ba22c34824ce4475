package functions

import "math"

// This file registers the geospatial functions huntql provides. Kusto
// measures on the sphere of the S2 geometry library (radius 6371.01 km)
// unless asked for the WGS-84 spheroid; coordinates outside [-180, 180]
// longitude or [-90, 90] latitude yield null.

// earthRadius is the radius, in meters, of the sphere Kusto measures on.
const earthRadius = 6371010.0

// WGS-84 ellipsoid: semi-major axis in meters and flattening.
const (
	wgs84A = 6378137.0
	wgs84F = 1 / 298.257223563
)

func init() {
	// use_spheroid is a bool or, as Kusto's analyzer allows, a number.
	scalar("geo_distance_2points", evalGeoDistance2Points,
		"Number, Number, Number, Number, bool? -> real",
		"Number, Number, Number, Number, Number -> real")
	scalar("geo_point_in_circle", evalGeoPointInCircle,
		"Number, Number, Number, Number, Number -> bool")
}

// evalGeoPointInCircle tells whether a point lies within c_radius meters of
// the circle's center on the sphere; invalid coordinates or a negative
// radius yield null, as the geo_point_in_circle page shows.
func evalGeoPointInCircle(_ *Context, a []any) any {
	var c [5]float64
	for i := range c {
		x, ok := asReal(a[i])
		if !ok {
			return nil
		}
		c[i] = x
	}
	if !validLonLat(c[0], c[1]) || !validLonLat(c[2], c[3]) || !(c[4] >= 0) {
		return nil
	}
	return sphereDistance(c[0], c[1], c[2], c[3]) <= c[4]
}

func evalGeoDistance2Points(_ *Context, a []any) any {
	var c [4]float64
	for i := range c {
		x, ok := asReal(a[i])
		if !ok {
			return nil
		}
		c[i] = x
	}
	lon1, lat1, lon2, lat2 := c[0], c[1], c[2], c[3]
	if !validLonLat(lon1, lat1) || !validLonLat(lon2, lat2) {
		return nil
	}
	if len(a) > 4 && truthy(a[4]) {
		if d, ok := vincentyDistance(lon1, lat1, lon2, lat2); ok {
			return d
		}
	}
	return sphereDistance(lon1, lat1, lon2, lat2)
}

// truthy reports whether a use_spheroid argument asks for the spheroid:
// true, or a number other than zero.
func truthy(v any) bool {
	if b, ok := v.(bool); ok {
		return b
	}
	x, ok := asReal(v)
	return ok && x != 0
}

func validLonLat(lon, lat float64) bool {
	return lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90
}

func radians(deg float64) float64 { return deg * math.Pi / 180 }

// sphereDistance is the great-circle distance in meters (haversine).
func sphereDistance(lon1, lat1, lon2, lat2 float64) float64 {
	p1, p2 := radians(lat1), radians(lat2)
	dp, dl := p2-p1, radians(lon2-lon1)
	h := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * earthRadius * math.Asin(math.Min(1, math.Sqrt(h)))
}

// vincentyDistance is the geodesic distance in meters on the WGS-84
// ellipsoid by Vincenty's inverse formula; ok is false when the iteration
// does not converge (nearly antipodal points).
func vincentyDistance(lon1, lat1, lon2, lat2 float64) (float64, bool) {
	b := wgs84A * (1 - wgs84F)
	l := radians(lon2 - lon1)
	u1 := math.Atan((1 - wgs84F) * math.Tan(radians(lat1)))
	u2 := math.Atan((1 - wgs84F) * math.Tan(radians(lat2)))
	sinU1, cosU1 := math.Sincos(u1)
	sinU2, cosU2 := math.Sincos(u2)
	lambda := l
	for i := 0; i < 200; i++ {
		sinL, cosL := math.Sincos(lambda)
		sinSigma := math.Hypot(cosU2*sinL, cosU1*sinU2-sinU1*cosU2*cosL)
		if sinSigma == 0 {
			return 0, true // the same point
		}
		cosSigma := sinU1*sinU2 + cosU1*cosU2*cosL
		sigma := math.Atan2(sinSigma, cosSigma)
		sinAlpha := cosU1 * cosU2 * sinL / sinSigma
		cos2Alpha := 1 - sinAlpha*sinAlpha
		cos2SigmaM := 0.0
		if cos2Alpha != 0 { // not on the equator
			cos2SigmaM = cosSigma - 2*sinU1*sinU2/cos2Alpha
		}
		c := wgs84F / 16 * cos2Alpha * (4 + wgs84F*(4-3*cos2Alpha))
		prev := lambda
		lambda = l + (1-c)*wgs84F*sinAlpha*
			(sigma+c*sinSigma*(cos2SigmaM+c*cosSigma*(-1+2*cos2SigmaM*cos2SigmaM)))
		if math.Abs(lambda-prev) < 1e-12 {
			u := cos2Alpha * (wgs84A*wgs84A - b*b) / (b * b)
			aa := 1 + u/16384*(4096+u*(-768+u*(320-175*u)))
			bb := u / 1024 * (256 + u*(-128+u*(74-47*u)))
			ds := bb * sinSigma * (cos2SigmaM + bb/4*(cosSigma*(-1+2*cos2SigmaM*cos2SigmaM)-
				bb/6*cos2SigmaM*(-3+4*sinSigma*sinSigma)*(-3+4*cos2SigmaM*cos2SigmaM)))
			return b * aa * (sigma - ds), true
		}
	}
	return 0, false
}
