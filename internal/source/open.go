package source

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"errors"
	"io"
	"os"
)

// openFile opens path for reading, decompressing it transparently when it
// starts with the gzip magic number (whatever its name).
func openFile(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	rc, err := decompress(path, f, f)
	if err != nil {
		f.Close()
	}
	return rc, err
}

// decompress returns r, decompressed when it starts with the gzip magic
// number, with c as its closer.
func decompress(path string, r io.Reader, c io.Closer) (io.ReadCloser, error) {
	br := bufio.NewReaderSize(r, 64*1024)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, &DataError{Path: path, Msg: "reading gzip header: " + err.Error(),
				Err: ErrMalformed}
		}
		return readCloser{zr, c}, nil
	}
	return readCloser{br, c}, nil
}

// readCloser reads from one reader and closes the underlying file.
type readCloser struct {
	io.Reader
	c io.Closer
}

func (rc readCloser) Close() error { return rc.c.Close() }

// isGzipError reports whether err is damage found while decompressing.
func isGzipError(err error) bool {
	var corrupt flate.CorruptInputError
	return errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) ||
		errors.As(err, &corrupt)
}
