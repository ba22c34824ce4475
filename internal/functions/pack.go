package functions

import "github.com/huntql/huntql/internal/types"

// PackNonEmpty builds find's pack_ column: a property bag of its
// name/value argument pairs, without the null and empty values. It is not
// registered: queries cannot name it.
var PackNonEmpty = &Scalar{
	Name: "pack_nonempty", MinArgs: 0, MaxArgs: -1,
	Result: func([]types.Type) (types.Type, error) { return types.Dynamic, nil },
	Eval: safeEval(func(_ *Context, a []any) any {
		bag := types.NewBag()
		for i := 0; i+1 < len(a); i += 2 {
			k, _ := a[i].(string)
			v := a[i+1]
			if v == nil || v == "" {
				continue
			}
			bag.Set(k, v)
		}
		return bag
	}),
}
