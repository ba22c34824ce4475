package functions

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	_ "embed"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/adler32"
	"hash/crc32"
	"io"
	"math/big"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// This file registers base64 of guids, the gzip and zlib compressions to
// base64, parse_version and datetime_list_timezones.

// maxDecompressed bounds what a decompression may produce, so that a small
// crafted input cannot exhaust memory.
const maxDecompressed = 64 << 20

var errGzipFlags = errors.New("gzip: optional header fields are not supported")

//go:embed timezones.txt
var timezoneList string

func init() {
	scalar("base64_encode_fromguid", func(_ *Context, a []any) any {
		g, ok := asGUID(a[0])
		if a[0] == nil || !ok {
			return nil
		}
		return base64.StdEncoding.EncodeToString(guidBytes(g))
	}, "guid -> string")
	scalar("base64_decode_toguid", func(_ *Context, a []any) any {
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(str(a[0])))
		if err != nil || len(b) != 16 {
			return nil
		}
		// The docs' example shows Kusto reading the first two fields
		// little-endian but the third as it stands (JpbpECu8dUy7Pv5gbeJXAA==
		// is 10e99626-bc2b-754c-...), unlike base64_encode_fromguid.
		g := uuid.UUID(b)
		g[0], g[1], g[2], g[3] = b[3], b[2], b[1], b[0]
		g[4], g[5] = b[5], b[4]
		return g
	}, "string -> guid")
	scalar("gzip_compress_to_base64_string", func(_ *Context, a []any) any {
		s := str(a[0])
		if s == "" {
			return ""
		}
		return base64.StdEncoding.EncodeToString(storedGzip([]byte(s)))
	}, "string -> string")
	scalar("zlib_compress_to_base64_string", func(_ *Context, a []any) any {
		s := str(a[0])
		if s == "" {
			return ""
		}
		return base64.StdEncoding.EncodeToString(storedZlib([]byte(s)))
	}, "string -> string")
	scalar("gzip_decompress_from_base64_string", func(_ *Context, a []any) any {
		return decompress(str(a[0]), func(r io.Reader) (io.Reader, error) {
			zr, err := gzip.NewReader(r)
			if err == nil && (zr.Name != "" || zr.Comment != "" || zr.Extra != nil) {
				// Kusto wants the FLG byte zero: no name, comment or extra field.
				return nil, errGzipFlags
			}
			return zr, err
		})
	}, "string -> string")
	scalar("zlib_decompress_from_base64_string", func(_ *Context, a []any) any {
		return decompress(str(a[0]), func(r io.Reader) (io.Reader, error) {
			return zlib.NewReader(r)
		})
	}, "string -> string")
	scalar("parse_version", evalParseVersion, "string -> decimal")
	scalar("datetime_list_timezones", func(_ *Context, _ []any) any {
		names := strings.Fields(timezoneList)
		out := make([]any, len(names))
		for i, n := range names {
			out[i] = n
		}
		return out
	}, " -> dynamic")
}

// guidBytes returns g's bytes in the order .NET's Guid.ToByteArray uses
// (the first three fields little-endian), as base64_encode_fromguid does.
func guidBytes(g uuid.UUID) []byte {
	b := g
	b[0], b[1], b[2], b[3] = g[3], g[2], g[1], g[0]
	b[4], b[5] = g[5], g[4]
	b[6], b[7] = g[7], g[6]
	return b[:]
}

// storedDeflate writes data as deflate stored blocks, the form Kusto's
// compression functions produce.
func storedDeflate(buf *bytes.Buffer, data []byte) {
	for {
		n := min(len(data), 0xffff)
		final := byte(0)
		if n == len(data) {
			final = 1
		}
		buf.WriteByte(final)
		buf.Write([]byte{byte(n), byte(n >> 8), ^byte(n), ^byte(n >> 8)})
		buf.Write(data[:n])
		data = data[n:]
		if final == 1 {
			return
		}
	}
}

func storedZlib(data []byte) []byte {
	var buf bytes.Buffer
	buf.Write([]byte{0x78, 0x01})
	storedDeflate(&buf, data)
	return binary.BigEndian.AppendUint32(buf.Bytes(), adler32.Checksum(data))
}

func storedGzip(data []byte) []byte {
	var buf bytes.Buffer
	buf.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	storedDeflate(&buf, data)
	out := binary.LittleEndian.AppendUint32(buf.Bytes(), crc32.ChecksumIEEE(data))
	return binary.LittleEndian.AppendUint32(out, uint32(len(data)))
}

// decompress decodes base64 text and decompresses it; invalid input gives
// an empty string, as in Kusto.
func decompress(s string, open func(io.Reader) (io.Reader, error)) any {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(raw) == 0 {
		return ""
	}
	r, err := open(bytes.NewReader(raw))
	if err != nil {
		return ""
	}
	out, err := io.ReadAll(io.LimitReader(r, maxDecompressed))
	if err != nil {
		return ""
	}
	return string(out)
}

// evalParseVersion turns a version of one to four dot-separated parts of at
// most eight digits each into a decimal that orders as the version does:
// 1.2.3.4 is 1_00000000_00000002_00000003_00000004 in effect (each part
// shifted by eight digits). Other text gives null.
func evalParseVersion(_ *Context, a []any) any {
	s := strings.TrimSpace(str(a[0]))
	parts := strings.Split(s, ".")
	if s == "" || len(parts) > 4 {
		return nil
	}
	v := new(big.Int)
	scale := big.NewInt(100000000)
	for i := 0; i < 4; i++ {
		v.Mul(v, scale)
		if i >= len(parts) {
			continue
		}
		p := parts[i]
		if p == "" || len(p) > 8 {
			return nil
		}
		for j := 0; j < len(p); j++ {
			if !isDigit(p[j]) {
				return nil
			}
		}
		n, _ := new(big.Int).SetString(p, 10)
		v.Add(v, n)
	}
	return decimal.NewFromBigInt(v, 0)
}
