package plugin

import (
	"strings"

	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// fileProfileReads are the tables FileProfile learns files from: the file,
// process and image-load events (hashes, size, version information, the
// devices that saw the file) and the certificate information.
var fileProfileReads = []TableRead{
	{Table: "DeviceFileEvents", Columns: fileEventCols},
	{Table: "DeviceProcessEvents", Columns: append(fileEventCols,
		"ProcessVersionInfoCompanyName", "ProcessVersionInfoProductName")},
	{Table: "DeviceImageLoadEvents", Columns: fileEventCols},
	{Table: "DeviceFileCertificateInfo", Columns: []string{"Timestamp", "SHA1", "IsSigned",
		"Signer", "SignerHash", "Issuer", "IsTrusted", "IsRootSignerMicrosoft"}},
}

var fileEventCols = []string{"Timestamp", "DeviceId", "SHA1", "SHA256", "MD5", "FileSize",
	"FileName"}

// fileProfileCols are the columns FileProfile adds, as Defender documents
// them (its int columns are long here, as the event tables' sizes are).
var fileProfileCols = column.Schema{
	{Name: "SHA1", Type: types.String}, {Name: "SHA256", Type: types.String},
	{Name: "MD5", Type: types.String}, {Name: "FileSize", Type: types.Long},
	{Name: "GlobalPrevalence", Type: types.Long},
	{Name: "GlobalFirstSeen", Type: types.Datetime},
	{Name: "GlobalLastSeen", Type: types.Datetime},
	{Name: "Signer", Type: types.String}, {Name: "Issuer", Type: types.String},
	{Name: "SignerHash", Type: types.String}, {Name: "IsCertificateValid", Type: types.Bool},
	{Name: "IsRootSignerMicrosoft", Type: types.Bool},
	{Name: "SignatureState", Type: types.String}, {Name: "IsExecutable", Type: types.Bool},
	{Name: "ThreatName", Type: types.String}, {Name: "Publisher", Type: types.String},
	{Name: "SoftwareName", Type: types.String},
	{Name: "ProfileAvailability", Type: types.String},
}

// fileProfileUnknown are the profile fields the loaded data cannot tell.
const fileProfileUnknown = "ThreatName, IsExecutable"

// fileProfileArgs are FileProfile's arguments: the hash column and the
// number of rows to enrich.
type fileProfileArgs struct {
	col   int
	limit int64
}

func parseFileProfile(b *Binding) (*fileProfileArgs, error) {
	args := userArgs(b.Args)
	if b.Input == nil {
		return nil, argErrorf(-1, "FileProfile is invoked: T | invoke FileProfile(x, y)")
	}
	if len(args) > 2 {
		return nil, argErrorf(-1, "expected an optional hash column and an optional "+
			"number of rows, found %d arguments", len(args))
	}
	name := "SHA1"
	if len(args) > 0 {
		switch {
		case args[0].Col >= 0:
			name = b.Input[args[0].Col].Name
		case args[0].Known && args[0].Type == types.String:
			name = args[0].Value.(string)
		case args[0].Unbound != "":
			name = args[0].Unbound
		default:
			return nil, argErrorf(0, "expected the hash column: SHA1, SHA256, "+
				"InitiatingProcessSHA1 or InitiatingProcessSHA256")
		}
	}
	p := &fileProfileArgs{col: b.Input.Index(name), limit: 100}
	if p.col < 0 {
		return nil, argErrorf(0, "the input has no column %s to profile", name)
	}
	if len(args) > 1 {
		n, known, err := constCount(b, 1)
		if err != nil {
			return nil, err
		}
		if known && (n < 1 || n > 1000) {
			return nil, argErrorf(1, "the number of rows must be 1 to 1000, found %d", n)
		}
		if known {
			p.limit = n
		}
	}
	return p, nil
}

func bindFileProfile(b *Binding) (*Bound, error) {
	if _, err := parseFileProfile(b); err != nil {
		return nil, err
	}
	out := append(column.Schema(nil), b.Input...)
	for _, f := range fileProfileCols {
		if out.Index(f.Name) < 0 {
			out = append(out, f)
		}
	}
	return &Bound{Out: out}, nil
}

// fileFacts is what the loaded data tells about one file.
type fileFacts struct {
	vals        map[string]any // profile column values
	devices     map[string]bool
	first, last int64
	seen        bool
}

// learnFiles gathers what the event tables tell of each file, indexed by
// its lower-case SHA1 and SHA256.
func learnFiles(r *Run) map[string]*fileFacts {
	facts := map[string]*fileFacts{}
	get := func(h1, h256 string) *fileFacts {
		f := facts[h1]
		if f == nil {
			f = facts[h256]
		}
		if f == nil {
			f = &fileFacts{vals: map[string]any{}, devices: map[string]bool{}}
		}
		for _, h := range []string{h1, h256} {
			if h != "" {
				facts[h] = f
			}
		}
		return f
	}
	for _, name := range []string{"DeviceFileEvents", "DeviceProcessEvents",
		"DeviceImageLoadEvents"} {
		t := readTable(r, name)
		for i := 0; i < t.N(); i++ {
			h1 := strings.ToLower(str(t.col("SHA1"), i))
			h256 := strings.ToLower(str(t.col("SHA256"), i))
			if h1 == "" && h256 == "" {
				continue
			}
			f := get(h1, h256)
			for _, c := range []string{"SHA1", "SHA256", "MD5", "FileSize"} {
				if v := t.col(c); v != nil && !v.IsNull(i) && str(v, i) != "" {
					f.vals[c] = v.Value(i)
				}
			}
			if v := str(t.col("ProcessVersionInfoCompanyName"), i); v != "" {
				f.vals["Publisher"] = v
			}
			if v := str(t.col("ProcessVersionInfoProductName"), i); v != "" {
				f.vals["SoftwareName"] = v
			}
			if d := str(t.col("DeviceId"), i); d != "" {
				f.devices[d] = true
			}
			if ts, ok := ticks(t.col("Timestamp").Value(i)); ok {
				if !f.seen || ts < f.first {
					f.first = ts
				}
				if !f.seen || ts > f.last {
					f.last = ts
				}
				f.seen = true
			}
		}
	}
	certs := readTable(r, "DeviceFileCertificateInfo")
	for i := 0; i < certs.N(); i++ {
		h := strings.ToLower(str(certs.col("SHA1"), i))
		if h == "" {
			continue
		}
		f := get(h, "")
		f.vals["SHA1"] = str(certs.col("SHA1"), i)
		for _, c := range []string{"Signer", "Issuer", "SignerHash", "IsRootSignerMicrosoft"} {
			if v := certs.col(c); v != nil && !v.IsNull(i) {
				f.vals[c] = v.Value(i)
			}
		}
		signed, _ := certs.col("IsSigned").Value(i).(bool)
		trusted, known := certs.col("IsTrusted").Value(i).(bool)
		if known {
			f.vals["IsCertificateValid"] = trusted
		}
		switch {
		case !signed:
			f.vals["SignatureState"] = "Unsigned"
		case known && trusted:
			f.vals["SignatureState"] = "SignedValid"
		case known:
			f.vals["SignatureState"] = "SignedInvalid"
		}
	}
	return facts
}

// runFileProfile enriches the first rows (up to the limit) with what the
// loaded data knows of their file. GlobalPrevalence counts the devices of
// the data that saw the file, and GlobalFirstSeen/GlobalLastSeen are its
// first and last events there; Microsoft's global view is not available.
func runFileProfile(r *Run) (*Output, error) {
	p, err := parseFileProfile(r.Binding)
	if err != nil {
		return nil, err
	}
	r.Warn("FileProfile answers from the loaded data only: GlobalPrevalence, " +
		"GlobalFirstSeen and GlobalLastSeen are measured in it, and " + fileProfileUnknown +
		" are unknown offline (null)")
	facts := learnFiles(r)
	in := r.Input
	out := r.Bound.Out
	bld := newBuilder(out)
	nin := len(in.Schema)
	hashes := in.Rows.Cols[p.col]
	for i := 0; i < in.N(); i++ {
		for c := range in.Schema {
			bld.copyCol(c, in.Rows.Cols[c], i)
		}
		var f *fileFacts
		availability := ""
		if int64(i) < p.limit {
			f = facts[strings.ToLower(str(hashes, i))]
			availability = "Missing"
			if f != nil {
				availability = "Available"
			}
		}
		for c := nin; c < len(out); c++ {
			var v any
			switch name := out[c].Name; {
			case name == "ProfileAvailability":
				v = availability
			case f == nil:
			case name == "GlobalPrevalence":
				v = int64(len(f.devices))
			case name == "GlobalFirstSeen" && f.seen:
				v = types.Date(f.first)
			case name == "GlobalLastSeen" && f.seen:
				v = types.Date(f.last)
			default:
				v = f.vals[name]
			}
			bld.cols[c].Append(conform(v, out[c].Type))
		}
		bld.n++
	}
	return bld.table(), nil
}
