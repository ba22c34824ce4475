package functions

import (
	"math"
	"math/big"
)

// Go's math.Log may be one unit in the last place off the correctly rounded
// logarithm (math.Log(3) is 1.0986122886681096), where Kusto, like the C
// library, returns 1.0986122886681098, as the series_log doc shows.
// roundedLog computes the logarithm in 128-bit arithmetic and rounds once.

// logPrec is the working precision of roundedLog in bits.
const logPrec = 128

// ln2Big is ln 2 to more digits than logPrec holds.
var ln2Big, _ = new(big.Float).SetPrec(logPrec).SetString(
	"0.6931471805599453094172321214581765680755001343602552541206800094933936")

// roundedLog returns the natural logarithm of x, correctly rounded but for
// pathological inputs: NaN below zero, -Inf at zero, as math.Log does.
func roundedLog(x float64) float64 {
	if math.IsNaN(x) || x <= 0 || math.IsInf(x, 1) {
		return math.Log(x)
	}
	frac, exp := math.Frexp(x) // x = frac * 2^exp, frac in [0.5, 1)
	if frac < math.Sqrt2/2 {
		frac *= 2
		exp--
	}
	// log(frac) = 2 atanh(z) = 2 (z + z^3/3 + z^5/5 + ...), z = (frac-1)/(frac+1),
	// and |z| < 0.172 makes the series converge quickly.
	f := new(big.Float).SetPrec(logPrec).SetFloat64(frac)
	one := new(big.Float).SetPrec(logPrec).SetInt64(1)
	z := new(big.Float).SetPrec(logPrec).Sub(f, one)
	z.Quo(z, new(big.Float).SetPrec(logPrec).Add(f, one))
	z2 := new(big.Float).SetPrec(logPrec).Mul(z, z)
	sum := new(big.Float).SetPrec(logPrec).Set(z)
	pow := new(big.Float).SetPrec(logPrec).Set(z)
	term := new(big.Float).SetPrec(logPrec)
	for k := int64(3); k < 200; k += 2 {
		pow.Mul(pow, z2)
		term.Quo(pow, new(big.Float).SetPrec(logPrec).SetInt64(k))
		if term.Sign() == 0 || term.MantExp(nil)-sum.MantExp(nil) < -logPrec {
			break
		}
		sum.Add(sum, term)
	}
	sum.Mul(sum, new(big.Float).SetPrec(logPrec).SetInt64(2))
	e := new(big.Float).SetPrec(logPrec).SetInt64(int64(exp))
	sum.Add(sum, e.Mul(e, ln2Big))
	out, _ := sum.Float64()
	return out
}
