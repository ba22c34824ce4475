package source

import (
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/huntql/huntql/internal/column"
)

// Large JSON lines and CSV files are parsed in parallel: one goroutine
// reads the (decompressed) stream in chunks of about chunkSize bytes, cut
// where a new line begins and, for CSV, outside quotes; GOMAXPROCS workers
// parse chunks into batches; the caller's goroutine hands the batches on in
// file order. At most a few chunks are in flight, so memory stays bounded.
// A file that is not compressed is mapped into memory where the platform
// allows, and its chunks are slices of the mapping, not copies.
//
// The cut points are guesses: a JSON value may span lines, a malformed CSV
// file may confuse the quote count. A chunk is accepted only when it parses
// without any fault to its very end; since the first chunk starts where the
// file does, every accepted chunk then starts where a sequential reader
// would be between two values, and yields what it would. At the first
// chunk that is not accepted (a fault in the data, a value cut by the
// guess, a read error) the file is read sequentially from that chunk's
// start to its end, with the lines and records of the chunks before it
// counted, so data errors read exactly as a sequential read reports them.

// chunkSize is the size of the chunks parallel readers cut. Files smaller
// than two chunks are read sequentially. A variable so tests can shrink it.
var chunkSize = 4 << 20

// chunk is one piece of a stream, parsed by a worker.
type chunk struct {
	off  int64  // offset of data[0] in the decompressed stream
	data []byte // whole lines; the buffer is reused once the chunk is handed on
	buf  []byte // the buffer data lies in, for reuse
	bad  bool   // the stream failed to read here: not parsed, read sequentially
	last bool   // the chunk ends the stream
	// prev is the last byte of the chunk before that is not whitespace, 0
	// for the first chunk: a parser may guess its state at the start by it.
	prev byte
	done chan struct{}

	// Set by the parser.
	ok      bool // parsed to its end without a fault
	batches []*column.Batch
	lines   int // newlines in data
	records int // streaming records in data

	// The state of a JSON chunk at its start (as guessed) and end: inside
	// the top-level array, after a comma (see jsonFile.walkFrom).
	startInArray, endInArray bool
}

// splitFunc returns the length of the longest prefix of buf that ends
// where a chunk may end, or 0 when buf holds no such place. eof reports
// that buf holds the rest of the stream.
type splitFunc func(buf []byte, eof bool) int

// errFallback stops the chunked reading of a file at a chunk that did not
// parse, to read the rest sequentially.
var errFallback = errors.New("read sequentially")

// forChunks reads r in chunks cut by split, parses them with parse on
// GOMAXPROCS goroutines and calls each, on the calling goroutine, with
// every chunk in stream order once it is parsed. It stops at the first
// error each returns, or when ctx is done, and returns that error; all its
// goroutines have ended when it returns.
//
// When whole is not nil it is the stream's contents, and r is not read:
// chunks are cut from whole without copying (see wholeContents). whole may
// be a mapped file, which faults when the file shrinks under it: a fault
// while cutting or parsing a chunk makes it a chunk that failed, which the
// caller reads again sequentially.
func forChunks(ctx context.Context, r io.Reader, whole []byte, split splitFunc,
	parse func(*chunk), each func(*chunk) error) error {
	workers := runtime.GOMAXPROCS(0)
	inflight := workers + 2
	slots := make(chan struct{}, inflight)
	free := make(chan []byte, inflight)
	work := make(chan *chunk, inflight)
	order := make(chan *chunk, inflight)
	quit := make(chan struct{})
	var wg sync.WaitGroup

	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(order)
		defer close(work)
		send := func(c *chunk) {
			work <- c
			order <- c
		}
		if whole != nil {
			cutChunks(whole, split, slots, quit, send)
		} else {
			readChunks(r, split, slots, free, quit, send)
		}
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if whole != nil {
				debug.SetPanicOnFault(true)
			}
			for c := range work {
				select {
				case <-quit:
				default:
					if !c.bad {
						parseGuarded(parse, c)
					}
				}
				close(c.done)
			}
		}()
	}

	var err error
	for c := range order {
		<-c.done
		if err = ctx.Err(); err == nil {
			err = each(c)
		}
		c.batches = nil
		if c.buf != nil {
			select {
			case free <- c.buf[:0]:
			default:
			}
		}
		<-slots
		if err != nil {
			break
		}
	}
	close(quit)
	for range order { // let the reader finish; workers skip what is left
	}
	wg.Wait()
	return err
}

// readChunks is the reading goroutine of forChunks: it cuts r into chunks
// and sends each, taking a slot for each first, until r ends or fails or
// quit is closed.
func readChunks(r io.Reader, split splitFunc, slots chan struct{}, free chan []byte,
	quit chan struct{}, send func(*chunk)) {
	var carry []byte // the start of the next chunk, read with the last one
	var off int64
	var prev byte
	for {
		select {
		case slots <- struct{}{}:
		case <-quit:
			return
		}
		var buf []byte
		select {
		case buf = <-free:
		default:
			buf = make([]byte, 0, chunkSize+chunkSize/4)
		}
		buf = append(buf, carry...)
		eof, bad := false, false
		cut := 0
		for {
			if len(buf) == cap(buf) {
				buf = append(buf, 0)[:len(buf)] // grow: a line longer than a chunk
			}
			n, err := fillBuffer(r, buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if err == io.EOF {
				eof = true
			} else if err != nil {
				bad = true // read it again sequentially, to report it in place
			}
			if bad {
				cut = len(buf)
				break
			}
			if len(buf) >= chunkSize || eof {
				if cut = split(buf, eof); cut > 0 || eof {
					break
				}
			}
		}
		if cut == 0 && !bad {
			return // the end, nothing more
		}
		carry = append(carry[:0], buf[cut:]...)
		send(&chunk{off: off, data: buf[:cut], buf: buf, bad: bad, last: eof && len(carry) == 0,
			prev: prev, done: make(chan struct{})})
		prev = lastNonSpace(buf[:cut], prev)
		off += int64(cut)
		if eof || bad {
			return
		}
	}
}

// cutChunks is readChunks for a stream whose contents are whole: its
// chunks are slices of whole.
func cutChunks(whole []byte, split splitFunc, slots chan struct{}, quit chan struct{},
	send func(*chunk)) {
	debug.SetPanicOnFault(true)
	off := 0
	defer func() {
		if r := recover(); r != nil {
			if !isFault(r) {
				panic(r)
			}
			// whole shrank: read the rest sequentially, from the chunk cut
			// when it faulted, which holds a slot.
			send(&chunk{off: int64(off), bad: true, done: make(chan struct{})})
		}
	}()
	var prev byte
	for off < len(whole) {
		select {
		case slots <- struct{}{}:
		case <-quit:
			return
		}
		end := min(off+chunkSize+chunkSize/4, len(whole))
		cut := 0
		for {
			eof := end == len(whole)
			if cut = split(whole[off:end], eof); cut > 0 || eof {
				break
			}
			end = min(end+chunkSize, len(whole)) // a line longer than a chunk
		}
		if cut == 0 {
			<-slots
			return
		}
		data := whole[off : off+cut]
		next := lastNonSpace(data, prev)
		send(&chunk{off: int64(off), data: data, last: off+cut == len(whole), prev: prev,
			done: make(chan struct{})})
		prev = next
		off += cut
	}
}

// parseGuarded calls parse on c; a memory fault (a mapped file that shrank)
// leaves c failed, not parsed.
func parseGuarded(parse func(*chunk), c *chunk) {
	defer func() {
		if r := recover(); r != nil {
			if !isFault(r) {
				panic(r)
			}
			c.ok, c.batches = false, nil
		}
	}()
	parse(c)
}

// isFault reports whether a recovered value is a memory fault turned into a
// panic by debug.SetPanicOnFault.
func isFault(r any) bool {
	_, ok := r.(interface{ Addr() uintptr })
	return ok
}

// wholeContents returns the decompressed contents of a file when they can
// be had without reading it as a stream: held in memory, or a mapped file
// that is not compressed. release must be called once nothing points into
// them. data is nil when the file must be read as a stream.
// mapped reports whether data is a mapped file, whose parsed parts may be
// dropped from memory (dropPages); never so for data on the Go heap, which
// dropping would zero.
func wholeContents(fi *fileInfo) (data []byte, release func(), mapped bool) {
	if !useWhole {
		return nil, nil, false
	}
	if fi.data != nil {
		if isGzipData(fi.data) {
			return nil, nil, false
		}
		return fi.data, func() {}, false
	}
	data, unmap, ok := mapFile(fi.path)
	if !ok {
		return nil, nil, false
	}
	if isGzipData(data) {
		unmap()
		return nil, nil, false
	}
	return data, unmap, true
}

// useWhole lets tests turn wholeContents off, to read every file as a stream.
var useWhole = true

// isGzipData reports whether b starts with the gzip magic number.
func isGzipData(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// lastNonSpace returns the last byte of b that is not JSON whitespace, or
// prev when there is none.
func lastNonSpace(b []byte, prev byte) byte {
	for i := len(b) - 1; i >= 0; i-- {
		switch b[i] {
		case ' ', '\t', '\r', '\n':
		default:
			return b[i]
		}
	}
	return prev
}

// fillBuffer reads into p until it is full or r ends or fails.
func fillBuffer(r io.Reader, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := r.Read(p[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// splitLines cuts after the last newline.
func splitLines(buf []byte, eof bool) int {
	if eof {
		return len(buf)
	}
	for i := len(buf) - 1; i >= 0; i-- {
		if buf[i] == '\n' {
			return i + 1
		}
	}
	return 0
}

// bigEnough reports whether a file is worth reading in parallel chunks:
// it is at least two chunks long (for compressed files, compressed).
func bigEnough(fi *fileInfo) bool {
	if fi.data != nil {
		return len(fi.data) >= 2*chunkSize
	}
	st, err := os.Stat(fi.path)
	return err == nil && st.Size() >= int64(2*chunkSize)
}

// reopenAt opens the file again and skips the first off bytes of its
// decompressed contents.
func reopenAt(fi *fileInfo, off int64) (io.ReadCloser, error) {
	rc, err := fi.open()
	if err != nil {
		return nil, err
	}
	if off > 0 {
		if _, err := io.CopyN(io.Discard, rc, off); err != nil {
			rc.Close()
			return nil, err
		}
	}
	return rc, nil
}
