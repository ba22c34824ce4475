package exec

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/functions"
	"github.com/huntql/huntql/internal/plan"
	"github.com/huntql/huntql/internal/types"
)

// externalData reads externaldata's local files. huntql runs offline, so a
// remote URI is an error that says so.
func (r *runner) externalData(n *plan.ExternalData) (operator, error) {
	out := column.NewBatch(n.Out, 0)
	for _, uri := range n.URIs {
		path, err := localPath(uri)
		if err != nil {
			return nil, err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, errorf("externaldata: %v", err)
		}
		if data, err = gunzipped(data); err != nil {
			return nil, errorf("externaldata: %s: %v", path, err)
		}
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
		recs, err := externalRecords(n, data)
		if err != nil {
			return nil, errorf("externaldata: %s: %v", path, err)
		}
		if n.IgnoreFirst && len(recs) > 0 {
			recs = recs[1:]
		}
		for _, rec := range recs {
			for c, f := range n.Out {
				out.Cols[c].Append(conform(externalValue(rec[c], f.Type), f.Type))
			}
			out.N++
		}
	}
	return &batchOp{batches: split(out)}, nil
}

// gunzipped returns data decompressed when it is gzip (as Kusto reads a
// compressed blob, whatever its name), else data as is.
func gunzipped(data []byte) ([]byte, error) {
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("damaged gzip data: %v", err)
	}
	return out, nil
}

// localPath turns a file:// URI or a plain path into a path.
func localPath(uri string) (string, error) {
	lower := strings.ToLower(uri)
	switch {
	case strings.HasPrefix(lower, "file://"):
		return uri[len("file://"):], nil
	case strings.Contains(lower, "://"):
		return "", errorf("externaldata: huntql does not fetch remote data (%s); "+
			"download the file and give its local path or a file:// URI", uri)
	}
	return uri, nil
}

// externalRecords splits data into records of one value per column: raw
// strings for the delimited formats, txt and raw; decoded JSON for json,
// multijson and singlejson.
func externalRecords(n *plan.ExternalData, data []byte) ([][]any, error) {
	width := len(n.Out)
	var recs [][]any
	switch n.Format {
	case "csv", "tsv", "tsve", "psv", "scsv", "sohsv":
		rd := csv.NewReader(bytes.NewReader(data))
		rd.FieldsPerRecord = -1
		rd.LazyQuotes = true
		rd.Comma = map[string]rune{"csv": ',', "tsv": '\t', "tsve": '\t', "psv": '|',
			"scsv": ';', "sohsv": '\x01'}[n.Format]
		for {
			fields, err := rd.Read()
			if errors.Is(err, io.EOF) {
				return recs, nil
			}
			if err != nil {
				return nil, err
			}
			rec := make([]any, width)
			for i := range rec {
				if i < len(fields) {
					rec[i] = fields[i]
				}
			}
			recs = append(recs, rec)
		}
	case "txt":
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
		for sc.Scan() {
			recs = append(recs, []any{strings.TrimSuffix(sc.Text(), "\r")})
		}
		return recs, sc.Err()
	case "raw":
		return [][]any{{string(data)}}, nil
	}
	// json and multijson: a stream of objects (or arrays of objects).
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var raw json.RawMessage
		if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
			return recs, nil
		} else if err != nil {
			return nil, err
		}
		v, err := types.ParseJSON(string(raw))
		if err != nil {
			return nil, err
		}
		objs := []any{v}
		if arr, ok := v.([]any); ok {
			objs = arr
		}
		for _, o := range objs {
			rec := make([]any, width)
			if bag, ok := o.(*types.Bag); ok {
				for i, f := range n.Out {
					rec[i], _ = bag.Get(f.Name)
				}
			}
			recs = append(recs, rec)
		}
	}
}

// externalValue converts a field to the column type: a CSV field is text,
// so an empty one is null (but an empty string), and a dynamic column
// parses its JSON.
func externalValue(v any, t types.Type) any {
	s, isStr := v.(string)
	if isStr {
		switch {
		case t == types.String:
			return s
		case s == "":
			return nil
		case t == types.Dynamic:
			if d, err := types.ParseJSON(s); err == nil {
				return d
			}
			return s
		}
	}
	if v == nil {
		return nil
	}
	if t == types.String && !isStr {
		return types.Format(v)
	}
	return functions.Convert(v, t)
}
