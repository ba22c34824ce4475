package functions

import (
	"regexp"
	"strings"

	"github.com/huntql/huntql/internal/types"
)

// This file registers parse_user_agent, which reports the browser,
// operating system and device of a user-agent string in the shape Kusto
// documents: {"Browser": {Family, MajorVersion, MinorVersion, Patch},
// "OperatingSystem": {Family, MajorVersion, MinorVersion, Patch,
// PatchMinor}, "Device": {Family, Brand, Model}}, with the families the
// ua-parser project (which Kusto uses) names.
// TODO: Kusto matches ua-parser's full pattern set (about a thousand
// patterns); these cover the common browsers, systems, crawlers and tools,
// and anything else reports the family "Other".

// uaRule matches one family; the groups capture the version parts.
type uaRule struct {
	re     *regexp.Regexp
	family string // "$1" takes the family from the first group
	// version is the index of the group holding the major version; the
	// minor version and patches follow it.
	version int
}

func uaRules(specs ...[3]any) []uaRule {
	out := make([]uaRule, len(specs))
	for i, s := range specs {
		out[i] = uaRule{regexp.MustCompile(s[0].(string)), s[1].(string), s[2].(int)}
	}
	return out
}

var browserRules = uaRules(
	[3]any{`(?i)(googlebot|bingbot|yandexbot|baiduspider|duckduckbot|slurp)(?:/(\d+)\.(\d+))?`,
		"$1", 2},
	[3]any{`(?:EdgiOS|EdgA)/(\d+)\.(\d+)\.(\d+)`, "Edge Mobile", 1},
	[3]any{`Edge?/(\d+)(?:\.(\d+))?(?:\.(\d+))?`, "Edge", 1},
	[3]any{`OPR/(\d+)\.(\d+)\.(\d+)`, "Opera", 1},
	[3]any{`SamsungBrowser/(\d+)\.(\d+)`, "Samsung Internet", 1},
	[3]any{`FxiOS/(\d+)\.(\d+)`, "Firefox iOS", 1},
	[3]any{`CriOS/(\d+)\.(\d+)\.(\d+)`, "Chrome Mobile iOS", 1},
	[3]any{`AdobeAIR/(\d+)\.(\d+)(?:\.(\d+))?`, "AdobeAIR", 1},
	[3]any{`Series60/(\d+)\.(\d+).*Safari`, "Nokia OSS Browser", 1},
	[3]any{`Android.*Chrome/(\d+)\.(\d+)\.(\d+).*Mobile`, "Chrome Mobile", 1},
	[3]any{`Chrome/(\d+)\.(\d+)\.(\d+)`, "Chrome", 1},
	[3]any{`Android.*Firefox/(\d+)\.(\d+)(?:\.(\d+))?`, "Firefox Mobile", 1},
	[3]any{`Firefox/(\d+)\.(\d+)(?:\.(\d+))?`, "Firefox", 1},
	[3]any{`MSIE (\d+)\.(\d+)`, "IE", 1},
	[3]any{`Trident/\d+\.\d+.*rv:(\d+)\.(\d+)`, "IE", 1},
	[3]any{`Version/(\d+)\.(\d+)(?:\.(\d+))?.*Mobile.*Safari/`, "Mobile Safari", 1},
	[3]any{`Version/(\d+)\.(\d+)(?:\.(\d+))? Safari/`, "Safari", 1},
	[3]any{`curl/(\d+)\.(\d+)\.(\d+)`, "curl", 1},
	[3]any{`python-requests/(\d+)\.(\d+)(?:\.(\d+))?`, "Python Requests", 1},
)

var osRules = uaRules(
	[3]any{`Windows Phone (?:OS )?(\d+)\.(\d+)`, "Windows Phone", 1},
	[3]any{`Windows NT (\d+)\.(\d+)`, "Windows", 1},
	[3]any{`(?:CPU OS|iPhone OS|CPU iPhone OS) (\d+)_(\d+)(?:_(\d+))?`, "iOS", 1},
	[3]any{`CrOS \S+ (\d+)\.(\d+)\.(\d+)`, "Chrome OS", 1},
	[3]any{`Mac OS X (\d+)[_.](\d+)(?:[_.](\d+))?`, "Mac OS X", 1},
	[3]any{`Android[ /](\d+)(?:\.(\d+))?(?:\.(\d+))?`, "Android", 1},
	[3]any{`SymbianOS/(\d+)\.(\d+)`, "Symbian OS", 1},
	[3]any{`Ubuntu(?:/(\d+)\.(\d+))?`, "Ubuntu", 1},
	[3]any{`Linux`, "Linux", 0},
)

// windowsVersions maps Windows NT versions to the release ua-parser names.
var windowsVersions = map[string]string{
	"10.0": "10", "6.3": "8.1", "6.2": "8", "6.1": "7", "6.0": "Vista",
	"5.2": "XP", "5.1": "XP",
}

var (
	nokiaDevice   = regexp.MustCompile(`Nokia([A-Za-z]*\d+)(-[0-9A-Za-z]+)?`)
	androidMobile = regexp.MustCompile(`Android.*Mobile`)
)

func init() {
	scalar("parse_user_agent", evalParseUserAgent, "string, StringOrArray? -> dynamic")
}

func evalParseUserAgent(_ *Context, a []any) any {
	ua := str(a[0])
	want := []string{"browser", "os", "device"} // without look_for, all three
	var look any = []any{}
	if len(a) > 1 {
		look = a[1]
		want = nil
	}
	switch x := look.(type) {
	case string:
		want = []string{x}
	case []any:
		for _, e := range x {
			want = append(want, str(e))
		}
	default:
		return nil
	}
	out := types.NewBag()
	for _, w := range want {
		switch strings.ToLower(strings.TrimSpace(w)) {
		case "browser":
			out.Set("Browser", parseBrowser(ua))
		case "os":
			out.Set("OperatingSystem", parseOS(ua))
		case "device":
			out.Set("Device", parseDevice(ua))
		default:
			return nil
		}
	}
	return out
}

// match applies the first matching rule, returning the family and up to n
// version parts ("" where absent).
func match(rules []uaRule, ua string, n int) (string, []string) {
	parts := make([]string, n)
	for _, r := range rules {
		m := r.re.FindStringSubmatch(ua)
		if m == nil {
			continue
		}
		family := r.family
		if family == "$1" {
			family = m[1]
		}
		if r.version > 0 {
			for i := 0; i < n && r.version+i < len(m); i++ {
				parts[i] = m[r.version+i]
			}
		}
		return family, parts
	}
	return "Other", parts
}

func parseBrowser(ua string) *types.Bag {
	family, v := match(browserRules, ua, 3)
	b := types.NewBag()
	b.Set("Family", family)
	b.Set("MajorVersion", v[0])
	b.Set("MinorVersion", v[1])
	b.Set("Patch", v[2])
	return b
}

func parseOS(ua string) *types.Bag {
	family, v := match(osRules, ua, 4)
	if family == "Windows" {
		if name, ok := windowsVersions[v[0]+"."+v[1]]; ok {
			v = []string{name, "", "", ""}
		}
	}
	b := types.NewBag()
	b.Set("Family", family)
	b.Set("MajorVersion", v[0])
	b.Set("MinorVersion", v[1])
	b.Set("Patch", v[2])
	b.Set("PatchMinor", v[3])
	return b
}

func parseDevice(ua string) *types.Bag {
	family, brand, model := "Other", "", ""
	switch {
	case isCrawler(ua):
		family, brand, model = "Spider", "Spider", "Desktop"
	case strings.Contains(ua, "iPhone"):
		family, brand, model = "iPhone", "Apple", "iPhone"
	case strings.Contains(ua, "iPad"):
		family, brand, model = "iPad", "Apple", "iPad"
	case strings.Contains(ua, "iPod"):
		family, brand, model = "iPod", "Apple", "iPod"
	case strings.Contains(ua, "Macintosh"):
		family, brand, model = "Mac", "Apple", "Mac"
	default:
		if m := nokiaDevice.FindStringSubmatch(ua); m != nil {
			family, brand, model = "Nokia "+m[1], "Nokia", m[1]+m[2]
		} else if androidMobile.MatchString(ua) {
			family, brand, model = "Generic Smartphone", "Generic", "Smartphone"
		}
	}
	b := types.NewBag()
	b.Set("Family", family)
	b.Set("Brand", brand)
	b.Set("Model", model)
	return b
}

func isCrawler(ua string) bool {
	f, _ := match(browserRules[:1], ua, 0)
	return f != "Other"
}
