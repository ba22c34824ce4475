package functions

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/huntql/huntql/internal/types"
)

// This file registers parse_xml, which turns XML into a dynamic value as
// Kusto documents: an element without attributes or children is its text
// (null when empty); otherwise a bag of "@attribute" values, "#text" and
// child elements, repeated children forming an array. Only elements,
// attributes and text are kept.

// maxXMLInput is the longest text parse_xml reads; longer text gives null.
const maxXMLInput = 1 << 20

func init() {
	scalar("parse_xml", func(_ *Context, a []any) any {
		s, ok := a[0].(string)
		if !ok || len(s) > maxXMLInput {
			return nil
		}
		v, err := parseXML(s)
		if err != nil {
			return nil
		}
		return v
	}, "StringOrDynamic -> dynamic")
}

type xmlNode struct {
	name     string
	attrs    []xml.Attr
	children []*xmlNode
	text     strings.Builder
}

var errXMLShape = errors.New("xml: expected one root element")

// parseXML parses one document and converts it.
func parseXML(s string) (any, error) {
	dec := xml.NewDecoder(strings.NewReader(s))
	dec.Strict = true
	var root *xmlNode
	var stack []*xmlNode
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xmlNode{name: xmlName(t.Name), attrs: t.Attr}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			} else if root != nil {
				return nil, errXMLShape
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.WriteString(strings.TrimSpace(string(t)))
			} else if strings.TrimSpace(string(t)) != "" {
				return nil, errXMLShape
			}
		}
	}
	if root == nil {
		return nil, errXMLShape
	}
	b := types.NewBag()
	b.Set(root.name, xmlValue(root))
	return b, nil
}

func xmlName(n xml.Name) string {
	if n.Space != "" && !strings.Contains(n.Space, "/") && !strings.Contains(n.Space, ":") {
		return n.Space + ":" + n.Local // a prefix not bound to a namespace URI
	}
	return n.Local
}

func xmlValue(n *xmlNode) any {
	text := n.text.String()
	if len(n.attrs) == 0 && len(n.children) == 0 {
		if text == "" {
			return nil
		}
		return text
	}
	b := types.NewBag()
	for _, a := range n.attrs {
		b.Set("@"+xmlName(a.Name), a.Value)
	}
	if text != "" {
		b.Set("#text", text)
	}
	count := map[string]int{}
	for _, c := range n.children {
		count[c.name]++
	}
	for _, c := range n.children {
		v := xmlValue(c)
		if count[c.name] == 1 {
			b.Set(c.name, v)
			continue
		}
		prev, _ := b.Get(c.name)
		arr, _ := prev.([]any)
		b.Set(c.name, append(arr, v))
	}
	return b
}
