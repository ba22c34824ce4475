package functions

import (
	"math"
	"strconv"
	"strings"
)

// This file registers the unit conversions convert_angle, convert_energy,
// convert_force, convert_length, convert_mass, convert_speed,
// convert_temperature and convert_volume, whose unit names and factors are
// those of the UnitsNet library Kusto uses, and format_bytes. An unknown
// unit gives null.

// unit converts between one unit and its quantity's base unit.
type unit struct {
	toBase, fromBase func(float64) float64
}

// linear is a unit worth f base units.
func linear(f float64) unit {
	return unit{func(x float64) float64 { return x * f }, func(x float64) float64 { return x / f }}
}

// perBase is a unit of which one base unit holds f, converted by
// multiplying from the base unit, as UnitsNet defines some units.
func perBase(f float64) unit {
	return unit{func(x float64) float64 { return x / f }, func(x float64) float64 { return x * f }}
}

// temp is a temperature scale, given by its conversions to and from kelvin.
func temp(to, from func(float64) float64) unit { return unit{to, from} }

const (
	usGallon     = 3.785411784e-3
	imperialGal  = 4.54609e-3
	cubicFoot    = 2.8316846592e-2
	btu          = 1055.05585262
	lightYear    = 9.46073047258e15
	parsec       = 3.08567758128e16
	usSurveyFoot = 1200.0 / 3937
)

var unitTables = map[string]map[string]unit{
	"convert_angle": { // base: degree
		"Arcminute": linear(1.0 / 60), "Arcsecond": linear(1.0 / 3600),
		"Centiradian": linear(0.01 * 180 / math.Pi), "Deciradian": linear(0.1 * 180 / math.Pi),
		"Degree": linear(1), "Gradian": linear(0.9), "Microdegree": linear(1e-6),
		"Microradian": linear(1e-6 * 180 / math.Pi), "Millidegree": linear(1e-3),
		"Milliradian": linear(1e-3 * 180 / math.Pi), "Nanodegree": linear(1e-9),
		"Nanoradian": linear(1e-9 * 180 / math.Pi), "NatoMil": linear(360.0 / 6400),
		"Radian": linear(180 / math.Pi), "Revolution": linear(360),
		"Tilt": {func(x float64) float64 { return math.Asin(x) * 180 / math.Pi },
			func(x float64) float64 { return math.Sin(x * math.Pi / 180) }},
	},
	"convert_energy": { // base: joule
		"BritishThermalUnit": linear(btu), "Calorie": linear(4.184),
		"DecathermEc": linear(1.05505585262e9), "DecathermImperial": linear(1.05505585257348e9),
		"DecathermUs": linear(1.054804e9), "ElectronVolt": linear(1.602176565e-19),
		"Erg": linear(1e-7), "FootPound": linear(1.355817948),
		"GigabritishThermalUnit": linear(btu * 1e9), "GigaelectronVolt": linear(1.602176565e-10),
		"Gigajoule": linear(1e9), "GigawattDay": linear(86400e9), "GigawattHour": linear(3600e9),
		"HorsepowerHour": linear(2.6845195377e6), "Joule": linear(1),
		"KilobritishThermalUnit": linear(btu * 1e3), "Kilocalorie": linear(4184),
		"KiloelectronVolt": linear(1.602176565e-16), "Kilojoule": linear(1e3),
		"KilowattDay": linear(86400e3), "KilowattHour": linear(3600e3),
		"MegabritishThermalUnit": linear(btu * 1e6), "Megacalorie": linear(4.184e6),
		"MegaelectronVolt": linear(1.602176565e-13), "Megajoule": linear(1e6),
		"MegawattDay": linear(86400e6), "MegawattHour": linear(3600e6), "Millijoule": linear(1e-3),
		"TeraelectronVolt": linear(1.602176565e-7), "TerawattDay": linear(86400e12),
		"TerawattHour": linear(3600e12), "ThermEc": linear(1.05505585262e8),
		"ThermImperial": linear(1.05505585257348e8), "ThermUs": linear(1.054804e8),
		"WattDay": linear(86400), "WattHour": linear(3600),
	},
	"convert_force": { // base: newton
		"Decanewton": linear(10), "Dyn": linear(1e-5), "KilogramForce": linear(9.80665),
		"Kilonewton": linear(1e3), "KiloPond": linear(9.80665),
		"KilopoundForce": linear(4448.2216152605), "Meganewton": linear(1e6),
		"Micronewton": linear(1e-6), "Millinewton": linear(1e-3), "Newton": linear(1),
		"OunceForce": linear(2.780138509537812e-1), "Poundal": linear(0.138254954376),
		"PoundForce": linear(4.4482216152605), "ShortTonForce": linear(8896.443230521),
		"TonneForce": linear(9806.65),
	},
	"convert_length": { // base: meter
		"Angstrom": linear(1e-10), "AstronomicalUnit": linear(1.4959787070e11),
		"Centimeter": linear(1e-2), "Chain": linear(20.1168), "DataMile": linear(1828.8),
		"Decameter": linear(10), "Decimeter": linear(0.1), "DtpPica": perBase(236.220472441),
		"DtpPoint": perBase(2834.64566929), "Fathom": linear(1.8288), "Foot": linear(0.3048),
		"Hand": linear(0.1016), "Hectometer": linear(100), "Inch": linear(0.0254),
		"KilolightYear": linear(lightYear * 1e3), "Kilometer": linear(1e3),
		"Kiloparsec": linear(parsec * 1e3), "LightYear": linear(lightYear),
		"MegalightYear": linear(lightYear * 1e6), "Megaparsec": linear(parsec * 1e6),
		"Meter": linear(1), "Microinch": linear(2.54e-8), "Micrometer": linear(1e-6),
		"Mil": linear(2.54e-5), "Mile": linear(1609.344), "Millimeter": linear(1e-3),
		"Nanometer": linear(1e-9), "NauticalMile": linear(1852), "Parsec": linear(parsec),
		"PrinterPica": perBase(237.106301584), "PrinterPoint": linear(2.54e-2 / 72.27),
		"Shackle": linear(27.432), "SolarRadius": linear(6.95510000e8),
		"Twip": perBase(56692.913385826), "UsSurveyFoot": linear(usSurveyFoot),
		"Yard": linear(0.9144),
	},
	"convert_mass": { // base: kilogram
		"Centigram": linear(1e-5), "Decagram": linear(1e-2), "Decigram": linear(1e-4),
		"EarthMass": linear(5.9722e24), "Grain": linear(6.479891e-5), "Gram": linear(1e-3),
		"Hectogram": linear(0.1), "Kilogram": linear(1), "Kilopound": linear(453.59237),
		"Kilotonne": linear(1e6), "LongHundredweight": linear(50.80234544),
		"LongTon": linear(1016.0469088), "Megapound": linear(453592.37),
		"Megatonne": linear(1e9), "Microgram": linear(1e-9), "Milligram": linear(1e-6),
		"Nanogram": linear(1e-12), "Ounce": linear(0.028349523125), "Pound": linear(0.45359237),
		"ShortHundredweight": linear(45.359237), "ShortTon": linear(907.18474),
		"Slug": perBase(6.852176556196105e-2), "SolarMass": linear(1.98947e30),
		"Stone": linear(6.35029318), "Tonne": linear(1e3),
	},
	"convert_speed": speedUnits(),
	"convert_temperature": { // base: kelvin
		"DegreeCelsius": temp(func(x float64) float64 { return x + 273.15 },
			func(k float64) float64 { return k - 273.15 }),
		"DegreeDelisle": temp(func(x float64) float64 { return x*-2/3 + 373.15 },
			func(k float64) float64 { return (373.15 - k) * 3 / 2 }),
		"DegreeFahrenheit": temp(func(x float64) float64 { return (x + 459.67) * 5 / 9 },
			func(k float64) float64 { return k*9/5 - 459.67 }),
		"DegreeNewton": temp(func(x float64) float64 { return x*100/33 + 273.15 },
			func(k float64) float64 { return (k - 273.15) * 33 / 100 }),
		"DegreeRankine": temp(func(x float64) float64 { return x * 5 / 9 },
			func(k float64) float64 { return k * 9 / 5 }),
		"DegreeReaumur": temp(func(x float64) float64 { return x*5/4 + 273.15 },
			func(k float64) float64 { return (k - 273.15) * 4 / 5 }),
		"DegreeRoemer": temp(func(x float64) float64 { return (x-7.5)*40/21 + 273.15 },
			func(k float64) float64 { return (k-273.15)*21/40 + 7.5 }),
		"Kelvin": linear(1),
		"MillidegreeCelsius": temp(func(x float64) float64 { return x/1000 + 273.15 },
			func(k float64) float64 { return (k - 273.15) * 1000 }),
		"SolarTemperature": linear(5778),
	},
	"convert_volume": { // base: cubic meter
		"AcreFoot": perBase(0.000810714), "AuTablespoon": linear(2e-5),
		"BoardFoot": linear(2.3597372158e-3), "Centiliter": linear(1e-5),
		"CubicCentimeter": linear(1e-6), "CubicDecimeter": linear(1e-3),
		"CubicFoot": linear(cubicFoot), "CubicHectometer": linear(1e6),
		"CubicInch": linear(1.6387064e-5), "CubicKilometer": linear(1e9), "CubicMeter": linear(1),
		"CubicMicrometer": linear(1e-18), "CubicMile": linear(4.16818182544058e9),
		"CubicMillimeter": linear(1e-9), "CubicYard": linear(0.764554858),
		"Decaliter": linear(1e-2), "DecausGallon": linear(usGallon * 10), "Deciliter": linear(1e-4),
		"DeciusGallon": linear(usGallon / 10), "HectocubicFoot": linear(cubicFoot * 100),
		"HectocubicMeter": linear(100), "Hectoliter": linear(0.1),
		"HectousGallon": linear(usGallon * 100), "ImperialBeerBarrel": linear(0.16365924),
		"ImperialGallon": linear(imperialGal), "ImperialOunce": linear(2.8413062499962901e-5),
		"ImperialPint": linear(5.6826125e-4), "KilocubicFoot": linear(cubicFoot * 1e3),
		"KilocubicMeter": linear(1e3), "KiloimperialGallon": linear(imperialGal * 1e3),
		"Kiloliter": linear(1), "KilousGallon": linear(usGallon * 1e3), "Liter": linear(1e-3),
		"MegacubicFoot": linear(cubicFoot * 1e6), "MegaimperialGallon": linear(imperialGal * 1e6),
		"Megaliter": linear(1e3), "MegausGallon": linear(usGallon * 1e6),
		"MetricCup": linear(2.5e-4), "MetricTeaspoon": linear(0.5e-5), "Microliter": linear(1e-9),
		"Milliliter": linear(1e-6), "OilBarrel": linear(0.158987294928),
		"UkTablespoon": linear(1.5e-5), "UsBeerBarrel": linear(0.1173477658),
		"UsCustomaryCup": linear(2.365882365e-4), "UsGallon": linear(usGallon),
		"UsLegalCup": linear(2.4e-4), "UsOunce": linear(2.957352956253760505e-5),
		"UsPint": linear(4.73176473e-4), "UsQuart": linear(9.46352946e-4),
		"UsTablespoon": linear(1.478676478125e-5), "UsTeaspoon": linear(4.92892159375e-6),
	},
}

// speedUnits builds the speed units (base: meter per second) from their
// lengths and time spans.
func speedUnits() map[string]unit {
	lengths := map[string]float64{
		"Centimeter": 1e-2, "Decimeter": 0.1, "Foot": 0.3048, "Inch": 0.0254, "Kilometer": 1e3,
		"Meter": 1, "Micrometer": 1e-6, "Millimeter": 1e-3, "Nanometer": 1e-9,
		"UsSurveyFoot": usSurveyFoot, "Yard": 0.9144,
	}
	per := map[string]float64{"Hour": 3600, "Minute": 60, "Second": 1}
	out := map[string]unit{
		"Knot": linear(0.514444), "MilePerHour": linear(0.44704),
	}
	for l, lf := range lengths {
		for t, tf := range per {
			lf, tf := lf, tf
			out[l+"Per"+t] = unit{func(x float64) float64 { return x * lf / tf },
				func(x float64) float64 { return x / lf * tf }}
		}
	}
	return out
}

func init() {
	for name, table := range unitTables {
		units := table
		folded := make(map[string]unit, len(units))
		for k, u := range units {
			folded[strings.ToLower(k)] = u
		}
		scalar(name, func(_ *Context, a []any) any {
			x, ok := asReal(a[0])
			from, ok1 := folded[strings.ToLower(str(a[1]))]
			to, ok2 := folded[strings.ToLower(str(a[2]))]
			if a[0] == nil || !ok || !ok1 || !ok2 {
				return nil
			}
			return to.fromBase(from.toBase(x))
		}, "real, string, string -> real")
	}
	scalar("format_bytes", evalFormatBytes, "Number, Number?, string? -> string")
}

var byteUnits = []string{"Bytes", "KB", "MB", "GB", "TB", "PB", "EB"}

// evalFormatBytes formats a size in bytes with binary (1024) units, rounded
// to the given number of decimals, in the given unit or else the largest
// unit in which the size is at least 1.
func evalFormatBytes(_ *Context, a []any) any {
	size, ok := asReal(a[0])
	if a[0] == nil || !ok {
		return nil
	}
	prec := int64(0)
	if len(a) > 1 && a[1] != nil {
		p, ok := asLong(a[1])
		if !ok {
			return nil
		}
		prec = max(0, min(p, 15))
	}
	u := -1
	if len(a) > 2 {
		if want := str(a[2]); want != "" {
			for i, name := range byteUnits {
				if strings.EqualFold(name, want) {
					u = i
				}
			}
			if u < 0 {
				return ""
			}
		}
	}
	if u < 0 {
		u = 0
		for m := math.Abs(size); m >= 1024 && u < len(byteUnits)-1; m /= 1024 {
			u++
		}
	}
	v := size / math.Pow(1024, float64(u))
	scale := math.Pow(10, float64(prec))
	v = math.Round(v*scale) / scale
	return strconv.FormatFloat(v, 'f', -1, 64) + " " + byteUnits[u]
}
