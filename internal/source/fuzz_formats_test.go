package source

import (
	"testing"

	"github.com/hamba/avro/v2/ocf"
)

func FuzzAvro(f *testing.F) {
	bodies := [][]byte{
		message(record("DeviceNetworkEvents", netRow1),
			record("DeviceInfo", `{"DeviceName":"pc","Extra":{"x":1}}`)),
		nil,
		message(record("DeviceNetworkEvents", netRow2)),
	}
	for _, codec := range []ocf.CodecName{ocf.Null, ocf.Deflate, ocf.Snappy, ocf.ZStandard} {
		f.Add(captureFile(f, codec, 2, bodies...))
	}
	f.Add(captureFile(f, ocf.Null, 1))
	f.Add(captureFile(f, ocf.Null, 2, message(`{"Type":"DeviceInfo","DeviceName":"pc"}`,
		`{"Type":"DeviceNetworkEvents","RemotePort":1}`), message(`{"Type":"x"}`)))
	f.Add([]byte("Obj\x01\x00"))
	maxAvroBlock = 1 << 20 // a decompression bomb costs a moment, not seconds
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, "capture.avro", data)
	})
}

func FuzzStorageBlob(f *testing.F) {
	f.Add([]byte(record("DeviceNetworkEvents", netRow1) + "\n" + noCategory(netRow2) + "\n"))
	f.Add([]byte(noCategory(netRow1) + "\n" + record("DeviceInfo", `{"DeviceName":"pc"}`)))
	f.Add([]byte(`{"properties":{"RemotePort":1}}` + "\n" + netRow2))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, storageDir+"PT1H.json", data)
	})
}

func FuzzLogAnalyticsCSV(f *testing.F) {
	f.Add([]byte(laExport))
	f.Add([]byte("\"Timestamp [UTC+02:00]\",Type,X [Local]\n\"May 7, 2025 4:16:30 PM\",,\n"))
	f.Add([]byte("Name,Type\nx,MyApp_CL\ny,DeviceInfo\n\"z\n\",\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, "query_data.csv", data)
	})
}
