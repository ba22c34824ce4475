// Package plugin holds the plugins that the evaluate operator calls, such as
// bag_unpack and pivot: how each types its output and how it runs.
package plugin

import "sort"

// Plugin is one evaluate plugin.
type Plugin struct {
	Name string
}

var registry = map[string]*Plugin{}

// Register adds p to the registry.
func Register(p *Plugin) { registry[p.Name] = p }

// Lookup returns the plugin named name.
func Lookup(name string) (*Plugin, bool) {
	p, ok := registry[name]
	return p, ok
}

// Names returns the names of all registered plugins, sorted.
func Names() []string {
	out := make([]string, 0, len(registry))
	for k := range registry {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
