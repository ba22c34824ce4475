package source

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strings"
)

// StreamFormats are the formats Stream takes; "" and "auto" tell the
// format from the content.
var StreamFormats = []string{"auto", "json", "csv", "avro"}

// Stream returns a File for a stream without a name, such as standard
// input, for ReadRecords. table names the table of its rows (JSON rows,
// CSV rows), as a file's name would; streaming records name their own, and
// a CSV export without a table takes each row's from its Type cell, as
// query_data.csv does. format is json, csv or avro, or "" or auto to tell
// it from the content as ReadRecords reads it (gzip undone first): Avro
// by its magic bytes, JSON (rows, Storage blob lines or Event Hub
// messages, an array or one value a line) when it starts with '{' or '[',
// else CSV with a header row.
func Stream(table, format string) (File, error) {
	fi := &fileInfo{path: "-", table: canonicalTable(table)}
	switch strings.ToLower(format) {
	case "", "auto":
		fi.format = formatSniff
	case "json":
		fi.format = formatJSON
	case "csv":
		fi.format = formatCSV
	case "avro":
		fi.format = formatAvro
	default:
		return File{}, fmt.Errorf("unknown format %s; expected one of %s", quoteFound(format),
			strings.Join(StreamFormats, ", "))
	}
	return File{fi}, nil
}

// sniffFormat tells a stream's format from its first bytes, after a UTF-8
// byte order mark and whitespace, peeking no further than it must (a
// stream may be slow to come).
func sniffFormat(br *bufio.Reader) format {
	for n := 64; ; n *= 2 {
		head, err := br.Peek(min(n, br.Size()))
		if bytes.HasPrefix(head, avroMagic) {
			return formatAvro
		}
		rest := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
		if len(rest) > 0 {
			if rest[0] == '{' || rest[0] == '[' {
				return formatJSON
			}
			if len(head) >= len(avroMagic) || !bytes.HasPrefix(avroMagic, head) {
				return formatCSV
			}
		}
		if err != nil || n >= br.Size() {
			return formatJSON // empty or blank: no records either way
		}
	}
}

// isGzipped reports whether decompress found gzip data.
func isGzipped(rc io.ReadCloser) bool {
	r, ok := rc.(readCloser)
	if !ok {
		return false
	}
	_, gz := r.Reader.(*gzip.Reader)
	return gz
}
