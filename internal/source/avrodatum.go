package source

import (
	"errors"
	"fmt"

	"github.com/hamba/avro/v2"
)

// maxAvroDepth bounds the nesting of values in an event, which a
// recursive schema would otherwise leave to the data.
const maxAvroDepth = 64

// errAvroEnd is a value cut short by the end of its block.
var errAvroEnd = errors.New("expected more data, found the end of the block")

// avroString is the schema of map keys.
var avroString = avro.NewPrimitiveSchema(avro.String, nil)

// datum reads Avro binary-encoded values from one decompressed block,
// checking every length and count against the bytes that remain.
type datum struct {
	b   []byte
	pos int
}

// long reads a zig-zag varint (Avro's int and long).
func (d *datum) long() (int64, error) {
	var u uint64
	for shift := uint(0); ; shift += 7 {
		if d.pos >= len(d.b) {
			return 0, errAvroEnd
		}
		c := d.b[d.pos]
		d.pos++
		if shift == 63 && c > 1 {
			return 0, errors.New("expected a varint, found one longer than 64 bits")
		}
		u |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return int64(u>>1) ^ -int64(u&1), nil
		}
	}
}

// take consumes n bytes.
func (d *datum) take(n int64) ([]byte, error) {
	if n < 0 {
		return nil, fmt.Errorf("expected a length of 0 or more, found %d", n)
	}
	if n > int64(len(d.b)-d.pos) {
		return nil, errAvroEnd
	}
	out := d.b[d.pos : d.pos+int(n)]
	d.pos += int(n)
	return out, nil
}

// bytesField reads a value of type bytes, or of a union of null and
// bytes (nil for null).
func (d *datum) bytesField(s avro.Schema) ([]byte, error) {
	if u, ok := s.(*avro.UnionSchema); ok {
		i, err := d.long()
		if err != nil {
			return nil, err
		}
		ts := u.Types()
		if i < 0 || i >= int64(len(ts)) {
			return nil, fmt.Errorf("expected a union branch 0 to %d, found %d", len(ts)-1, i)
		}
		s = ts[i]
	}
	if s.Type() == avro.Null {
		return nil, nil
	}
	n, err := d.long()
	if err != nil {
		return nil, err
	}
	return d.take(n)
}

// skip consumes one value of schema s.
func (d *datum) skip(s avro.Schema, depth int) error {
	if depth > maxAvroDepth {
		return fmt.Errorf("expected values nested at most %d deep, found deeper", maxAvroDepth)
	}
	switch s.Type() {
	case avro.Null:
	case avro.Boolean:
		_, err := d.take(1)
		return err
	case avro.Int, avro.Long, avro.Enum:
		_, err := d.long()
		return err
	case avro.Float:
		_, err := d.take(4)
		return err
	case avro.Double:
		_, err := d.take(8)
		return err
	case avro.Bytes, avro.String:
		n, err := d.long()
		if err == nil {
			_, err = d.take(n)
		}
		return err
	case avro.Fixed:
		_, err := d.take(int64(s.(*avro.FixedSchema).Size()))
		return err
	case avro.Record, avro.Error:
		for _, f := range s.(*avro.RecordSchema).Fields() {
			if err := d.skip(f.Type(), depth+1); err != nil {
				return err
			}
		}
	case avro.Union:
		ts := s.(*avro.UnionSchema).Types()
		i, err := d.long()
		if err != nil {
			return err
		}
		if i < 0 || i >= int64(len(ts)) {
			return fmt.Errorf("expected a union branch 0 to %d, found %d", len(ts)-1, i)
		}
		return d.skip(ts[i], depth+1)
	case avro.Array:
		return d.blocks(nil, s.(*avro.ArraySchema).Items(), depth)
	case avro.Map:
		return d.blocks(avroString, s.(*avro.MapSchema).Values(), depth)
	case avro.Ref:
		return d.skip(s.(*avro.RefSchema).Schema(), depth+1)
	default:
		return fmt.Errorf("expected a known avro type, found %s", s.Type())
	}
	return nil
}

// blocks consumes the blocks of an array (key nil) or map. A count is
// never trusted to bound a loop: an item that takes no bytes means all
// take none, and any other runs out of data by the block's end.
func (d *datum) blocks(key, item avro.Schema, depth int) error {
	for {
		count, err := d.long()
		if err != nil || count == 0 {
			return err
		}
		if count < 0 {
			if count = -count; count < 0 {
				return fmt.Errorf("expected an item count, found %d", count)
			}
			size, err := d.long()
			if err != nil {
				return err
			}
			if size > 0 { // the block's byte size: skip it whole
				_, err := d.take(size)
				if err != nil {
					return err
				}
				continue
			}
		}
		for i := int64(0); i < count; i++ {
			start := d.pos
			if key != nil {
				if err := d.skip(key, depth+1); err != nil {
					return err
				}
			}
			if err := d.skip(item, depth+1); err != nil {
				return err
			}
			if d.pos == start {
				break
			}
		}
	}
}
