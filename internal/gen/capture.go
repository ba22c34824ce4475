package gen

import (
	"bytes"
	"fmt"

	"github.com/hamba/avro/v2/ocf"
)

// CaptureSchema is the Avro schema Event Hub Capture writes into every file.
const CaptureSchema = `{"type":"record","name":"EventData",` +
	`"namespace":"Microsoft.ServiceBus.Messaging","fields":[` +
	`{"name":"SequenceNumber","type":"long"},` +
	`{"name":"Offset","type":"string"},` +
	`{"name":"EnqueuedTimeUtc","type":"string"},` +
	`{"name":"SystemProperties","type":{"type":"map",` +
	`"values":["long","double","string","bytes"]}},` +
	`{"name":"Properties","type":{"type":"map",` +
	`"values":["long","double","string","bytes","null"]}},` +
	`{"name":"Body","type":["null","bytes"]}]}`

// CaptureSync is the sync marker of the capture files CaptureFile writes.
var CaptureSync = [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}

// captureEvent is one EventData record as Capture writes it.
type captureEvent struct {
	SequenceNumber   int64          `avro:"SequenceNumber"`
	Offset           string         `avro:"Offset"`
	EnqueuedTimeUtc  string         `avro:"EnqueuedTimeUtc"`
	SystemProperties map[string]any `avro:"SystemProperties"`
	Properties       map[string]any `avro:"Properties"`
	Body             []byte         `avro:"Body"`
}

// CaptureFile returns an Event Hub Capture Avro file holding one event per
// body (a nil body is a null Body), perBlock events to a block, compressed
// with codec.
func CaptureFile(codec ocf.CodecName, perBlock int, bodies ...[]byte) ([]byte, error) {
	var b bytes.Buffer
	enc, err := ocf.NewEncoder(CaptureSchema, &b, ocf.WithCodec(codec),
		ocf.WithBlockLength(perBlock), ocf.WithSyncBlock(CaptureSync))
	if err != nil {
		return nil, err
	}
	for i, body := range bodies {
		ev := captureEvent{
			SequenceNumber:   int64(i),
			Offset:           fmt.Sprint(i * 1000),
			EnqueuedTimeUtc:  "5/7/2025 4:16:31 PM",
			SystemProperties: map[string]any{"x-opt-enqueued-time": int64(i)},
			Properties:       map[string]any{},
			Body:             body,
		}
		if err := enc.Encode(ev); err != nil {
			return nil, err
		}
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
