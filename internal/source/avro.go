package source

import (
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strconv"

	"github.com/golang/snappy"
	"github.com/hamba/avro/v2"
	"github.com/klauspost/compress/zstd"
)

// Event Hub Capture writes Avro object container files: a header (magic,
// metadata holding the schema and codec, a 16-byte sync marker) and then
// blocks, each an event count, a byte size, the events (compressed by the
// codec) and the sync marker again. Each event is an EventData record
// whose Body holds the bytes of one event; for Defender's Streaming API
// that is a JSON message {"records": [...]}.
//
// hamba/avro parses the schema. The container framing and the events are
// read here (see datum) rather than by the library's ocf package and
// decoders, which trust the sizes and counts they read: a negative block
// size panics, a huge one is allocated before the data is found missing,
// and a map or array count of 2^60 in a damaged event loops that often.

// avroMagic starts every Avro object container file.
var avroMagic = []byte{'O', 'b', 'j', 1}

// Limits that keep damaged or hostile files from exhausting memory.
const maxAvroHeader = 1 << 20 // metadata bytes (the schema is most of it)

// maxAvroBlock is the most bytes one block may take, compressed or not.
// A variable so that fuzzing can lower it.
var maxAvroBlock int64 = 64 << 20

// avroFile is the state of one traversal of an Avro container file.
type avroFile struct {
	ctx    context.Context
	path   string
	r      *bufio.Reader
	off    int64 // bytes of r consumed, for error positions
	schema avro.Schema
	codec  string
	sync   [16]byte
	event  int // 1-based index of the current event in the file
	block  int // 1-based index of the current block
	record int // streaming records seen so far, across events

	// eachBody, when set, takes each event's body instead of the
	// rowHandler (see recordReader.avro).
	eachBody func(body []byte) error
	// cut is set when the file ended inside its header or a block, as a
	// file still being written does.
	cut bool
}

// isAvro reports whether a file (without an extension) starts like an
// Avro object container file.
func isAvro(fi *fileInfo) bool {
	rc, err := fi.open()
	if err != nil {
		return false
	}
	defer rc.Close()
	magic := make([]byte, len(avroMagic))
	_, err = io.ReadFull(rc, magic)
	return err == nil && bytes.Equal(magic, avroMagic)
}

// scanAvro learns the tables and extra columns of a capture file.
func scanAvro(fi *fileInfo, c *collector) error {
	rc, err := fi.open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return walkAvro(nil, fi.path, rc, c)
}

// readAvro streams the rows of the sink's table in one capture file.
func readAvro(ctx context.Context, fi *fileInfo, sk *sink) error {
	rc, err := fi.open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return walkAvro(ctx, fi.path, rc, sk)
}

// walkAvro reads the capture file in r, handing the rows of each event's
// message to h. ctx may be nil (Scan).
func walkAvro(ctx context.Context, path string, r io.Reader, h rowHandler) error {
	a := &avroFile{ctx: ctx, path: path, r: bufio.NewReaderSize(r, 64*1024)}
	if err := a.header(); err != nil {
		return err
	}
	for {
		ok, err := a.nextBlock(h)
		if err != nil || !ok {
			return err
		}
	}
}

// errorf reports damage in the container at the current offset.
func (a *avroFile) errorf(format string, args ...any) error {
	return &DataError{Path: a.path, Msg: a.where(fmt.Sprintf(format, args...)),
		Err: ErrMalformed}
}

// where adds the block, the byte offset and the last event read to msg.
func (a *avroFile) where(msg string) string {
	if a.block > 0 {
		msg = "block " + strconv.Itoa(a.block) + ": " + msg
	}
	msg += " (at byte " + strconv.FormatInt(a.off, 10)
	if a.event > 0 {
		msg += ", after event " + strconv.Itoa(a.event)
	}
	return msg + ")"
}

// readErr turns a failed read of what into a positioned error.
func (a *avroFile) readErr(err error, what string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		a.cut = true
		return a.errorf("expected %s, found end of input", what)
	}
	if isGzipError(err) {
		return a.errorf("reading %s: %v", what, err)
	}
	return &DataError{Path: a.path, Msg: a.where("reading input: " + err.Error()),
		Err: readErrKind(err)}
}

// long reads a zig-zag varint, as Avro encodes int and long.
func (a *avroFile) long(what string) (int64, error) {
	var u uint64
	for shift := uint(0); ; shift += 7 {
		b, err := a.r.ReadByte()
		if err != nil {
			return 0, a.readErr(err, what)
		}
		a.off++
		if shift == 63 && b > 1 {
			return 0, a.errorf("expected %s, found a varint longer than 64 bits", what)
		}
		u |= uint64(b&0x7f) << shift
		if b&0x80 == 0 {
			break
		}
	}
	return int64(u>>1) ^ -int64(u&1), nil
}

// bytesOf reads n bytes, refusing more than limit before reading any.
func (a *avroFile) bytesOf(n, limit int64, what string) ([]byte, error) {
	if n < 0 || n > limit {
		return nil, a.errorf("expected %s of 0 to %d bytes, found length %d", what, limit, n)
	}
	// Grow with the data rather than trusting n: a truncated file then
	// fails without first allocating what it claims.
	var b bytes.Buffer
	got, err := io.CopyN(&b, a.r, n)
	a.off += got
	if err != nil {
		return nil, a.readErr(err, what)
	}
	return b.Bytes(), nil
}

// header reads the magic, the metadata and the sync marker, and checks
// that the schema is capture-shaped.
func (a *avroFile) header() error {
	magic := make([]byte, 4)
	n, err := io.ReadFull(a.r, magic)
	a.off += int64(n)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return a.readErr(err, "avro magic")
	}
	if !bytes.Equal(magic[:n], avroMagic) || n < 4 {
		a.cut = bytes.HasPrefix(avroMagic, magic[:n])
		a.off = 0
		return a.errorf("expected an avro object container file (starting \"Obj\\x01\"), "+
			"found %s", quoteFound(string(magic[:n])))
	}
	meta := map[string][]byte{}
	size := int64(0)
	for {
		count, err := a.long("metadata block count")
		if err != nil {
			return err
		}
		if count == 0 {
			break
		}
		if count < 0 {
			count = -count
			if _, err := a.long("metadata block size"); err != nil {
				return err
			}
		}
		for ; count > 0; count-- {
			var kv [2][]byte
			for i, what := range []string{"metadata key", "metadata value"} {
				n, err := a.long(what + " length")
				if err != nil {
					return err
				}
				if kv[i], err = a.bytesOf(n, maxAvroHeader-size, what); err != nil {
					return err
				}
				size += n
			}
			meta[string(kv[0])] = kv[1]
		}
	}
	n, err = io.ReadFull(a.r, a.sync[:])
	a.off += int64(n)
	if err != nil {
		return a.readErr(err, "16-byte sync marker")
	}
	a.codec = string(meta["avro.codec"])
	switch a.codec {
	case "", "null", "deflate", "snappy", "zstandard":
	default:
		return a.badFile("expected codec null, deflate, snappy or zstandard, found %s",
			quoteFound(a.codec))
	}
	text, ok := meta["avro.schema"]
	if !ok {
		return a.badFile("expected avro.schema in the file's metadata, found none")
	}
	a.schema, err = parseSchema(text)
	if err != nil {
		return a.badFile("parsing the schema: %v", err)
	}
	return a.checkSchema()
}

// parseSchema parses an Avro schema with a cache of its own, so that names
// defined by one file do not leak into the next, turning a panic of the
// library on a hostile schema into an error.
func parseSchema(text []byte) (s avro.Schema, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("the schema parser failed: %v", r)
		}
	}()
	return avro.ParseBytesWithCache(text, "", &avro.SchemaCache{})
}

// badFile reports a well-formed file that is not an Event Hub capture.
func (a *avroFile) badFile(format string, args ...any) error {
	return &DataError{Path: a.path, Msg: fmt.Sprintf(format, args...), Err: ErrBadRecord}
}

// checkSchema accepts a record with a Body field of bytes or of a union of
// null and bytes, as Event Hub Capture writes.
func (a *avroFile) checkSchema() error {
	rec, ok := a.schema.(*avro.RecordSchema)
	if !ok {
		return a.badFile("expected an event hub capture schema (a record with a Body of "+
			"bytes), found a %s schema", a.schema.Type())
	}
	for _, f := range rec.Fields() {
		if f.Name() != "Body" {
			continue
		}
		switch t := f.Type().(type) {
		case *avro.PrimitiveSchema:
			if t.Type() == avro.Bytes {
				return nil
			}
		case *avro.UnionSchema:
			if ts := t.Types(); t.Nullable() && len(ts) == 2 &&
				(ts[0].Type() == avro.Bytes || ts[1].Type() == avro.Bytes) {
				return nil
			}
		}
		found := f.Type().String()
		if len(found) > 60 {
			found = found[:60] + "..."
		}
		return a.badFile("expected the Body field of bytes or [null, bytes], found %s", found)
	}
	return a.badFile("expected an event hub capture schema (a record with a Body of "+
		"bytes), found record %s without Body", rec.FullName())
}

// nextBlock reads one block and hands its events to h. It reports false
// at the end of the file.
func (a *avroFile) nextBlock(h rowHandler) (bool, error) {
	a.block++
	if _, err := a.r.Peek(1); err == io.EOF {
		return false, nil
	} else if err != nil { // such as gzip data cut short
		return false, &DataError{Path: a.path, Msg: a.where("reading input: " + err.Error()),
			Err: readErrKind(err)}
	}
	count, err := a.long("block event count")
	if err != nil {
		return false, err
	}
	if count < 0 {
		return false, a.errorf("expected a block event count of 0 or more, found %d", count)
	}
	size, err := a.long("block size")
	if err != nil {
		return false, err
	}
	data, err := a.bytesOf(size, maxAvroBlock, "block data")
	if err != nil {
		return false, err
	}
	var sync [16]byte
	n, err := io.ReadFull(a.r, sync[:])
	a.off += int64(n)
	if err != nil {
		return false, a.readErr(err, "16-byte sync marker")
	}
	if sync != a.sync {
		return false, a.errorf("expected the header's sync marker after the block, " +
			"found other bytes (a damaged block or a wrong size)")
	}
	if count == 0 {
		return true, nil
	}
	if data, err = a.decompress(data); err != nil {
		return false, err
	}
	if count > int64(len(data)) { // each event takes at least a byte
		return false, a.errorf("expected at most %d events in %d bytes, found count %d",
			len(data), len(data), count)
	}
	return true, a.events(data, count, h)
}

// decompress undoes the file's codec on one block.
func (a *avroFile) decompress(data []byte) ([]byte, error) {
	switch a.codec {
	case "deflate":
		var b bytes.Buffer
		zr := flate.NewReader(bytes.NewReader(data))
		n, err := io.Copy(&b, io.LimitReader(zr, maxAvroBlock+1))
		if err == nil && n > maxAvroBlock {
			return nil, a.errorf("expected a block of at most %d bytes, found more", maxAvroBlock)
		}
		if err != nil {
			return nil, a.errorf("expected deflate data: %v", err)
		}
		return b.Bytes(), nil
	case "snappy":
		if len(data) < 4 {
			return nil, a.errorf("expected snappy data and a 4-byte checksum, found %d bytes",
				len(data))
		}
		body, sum := data[:len(data)-4], binary.BigEndian.Uint32(data[len(data)-4:])
		n, err := snappy.DecodedLen(body)
		if err == nil && int64(n) > maxAvroBlock {
			return nil, a.errorf("expected a block of at most %d bytes, found %d",
				maxAvroBlock, n)
		}
		var out []byte
		if err == nil {
			out, err = snappy.Decode(nil, body)
		}
		if err != nil {
			return nil, a.errorf("expected snappy data: %v", err)
		}
		if crc32.ChecksumIEEE(out) != sum {
			return nil, a.errorf("expected the block's snappy checksum %08x, found %08x",
				sum, crc32.ChecksumIEEE(out))
		}
		return out, nil
	case "zstandard":
		zr, err := zstd.NewReader(bytes.NewReader(data), zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderMaxMemory(uint64(maxAvroBlock)))
		if err != nil {
			return nil, a.errorf("expected zstandard data: %v", err)
		}
		defer zr.Close()
		var b bytes.Buffer
		n, err := io.Copy(&b, io.LimitReader(zr, maxAvroBlock+1))
		if err == nil && n > maxAvroBlock {
			return nil, a.errorf("expected a block of at most %d bytes, found more", maxAvroBlock)
		}
		if err != nil {
			return nil, a.errorf("expected zstandard data: %v", err)
		}
		return b.Bytes(), nil
	}
	return data, nil
}

// events decodes the count events of one block and walks each body.
func (a *avroFile) events(data []byte, count int64, h rowHandler) error {
	rec := a.schema.(*avro.RecordSchema) // checkSchema made sure
	d := &datum{b: data}
	for i := int64(0); i < count; i++ {
		a.event++
		if a.event%ctxCheckEvery == 0 && a.ctx != nil {
			if err := a.ctx.Err(); err != nil {
				return err
			}
		}
		var body []byte
		for _, f := range rec.Fields() {
			var err error
			if f.Name() == "Body" {
				body, err = d.bytesField(f.Type())
			} else {
				err = d.skip(f.Type(), 0)
			}
			if err != nil {
				return &DataError{Path: a.path, Event: a.event, Msg: fmt.Sprintf(
					"block %d: field %s: %v", a.block, f.Name(), err), Err: ErrMalformed}
			}
		}
		if a.eachBody != nil {
			if err := a.eachBody(body); err != nil {
				return err
			}
			continue
		}
		if err := a.body(body, h); err != nil {
			return err
		}
	}
	return nil
}

// body walks one event's Streaming API message, without a UTF-8 byte
// order mark. A null or empty body holds no records.
func (a *avroFile) body(body []byte, h rowHandler) error {
	body = bytes.TrimPrefix(body, []byte("\ufeff"))
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	f := &jsonFile{ctx: a.ctx, path: a.path, l: newBytesLexer(body), mode: modeMessages,
		record: a.record}
	var err error
	if isRowMessage(body) {
		f.mode = modeRecords // rows of several tables; see rowMessage
		err = f.wrap(f.rowMessage(h))
	} else {
		err = f.walk(h)
	}
	a.record = f.record
	var de *DataError
	if errors.As(err, &de) {
		// Lines inside one body are no position in the file; the event is.
		de.Line = 0
		de.Event = a.event
	}
	return err
}
