package gen

import (
	"strconv"

	"github.com/huntql/huntql/internal/types"
)

// Kinds of DeviceNetworkEvents rows, drawn with the weights of netKinds.
const (
	kDefender   = iota // the sensor's own traffic to the Defender cloud
	kWeb               // browsers and SaaS clients
	kIntranet          // domain controllers, file shares: mostly no URL
	kSystem            // OS updates, time, connectivity checks
	kInbound           // InboundConnectionAccepted
	kListen            // ListeningConnectionCreated
	kSuspicious        // a little attacker-like traffic from a few devices
)

var netKinds = newWeighted(150, 380, 190, 120, 90, 45, 3)

// netGen generates DeviceNetworkEvents rows.
type netGen struct {
	r      *rng
	fl     *fleet
	rec    *record
	start  int64 // ticks
	step   float64
	last   int64
	report int64
	// suspects are the few devices that show attacker-like traffic.
	suspects []int
}

func writeNetworkEvents(enc encoder, fl *fleet, opts Options) error {
	g := &netGen{
		r:      newRNG(opts.Seed, "DeviceNetworkEvents", opts.Batch),
		fl:     fl,
		rec:    newRecord(nColumns),
		start:  int64(types.DateFromTime(opts.Start)),
		step:   float64(opts.Span/100) / float64(opts.Rows),
		report: 10_000 + int64(opts.Batch)*100_000_000,
	}
	sr := newRNG(opts.Seed, "suspects", 0)
	for i := 0; i < 3 && len(fl.devices) > 0; i++ {
		g.suspects = append(g.suspects, sr.intn(len(fl.devices)))
	}
	for i := 0; i < opts.Rows; i++ {
		g.row(i)
		if err := enc.write(g.rec); err != nil {
			return err
		}
	}
	return nil
}

// timestamp spreads rows evenly over the span with jitter, so rows come
// roughly in time order; now and then a row repeats the previous timestamp,
// a tie across two devices.
func (g *netGen) timestamp(i int) int64 {
	if i > 0 && g.r.chance(15) {
		return g.last
	}
	base := g.start + int64(float64(i)*g.step)
	t := base + g.r.int64n(max(int64(g.step), 1))
	g.last = t
	return t
}

func (g *netGen) device(kind int) *device {
	r, fl := g.r, g.fl
	switch {
	case kind == kSuspicious:
		return &fl.devices[pick(r, g.suspects)]
	case kind == kInbound && fl.busy > 0 && r.chance(700):
		return &fl.devices[r.intn(fl.busy)]
	case fl.busy > 0 && r.chance(250):
		return &fl.devices[r.intn(fl.busy)]
	}
	return &fl.devices[r.intn(len(fl.devices))]
}

// row fills g.rec with row i.
func (g *netGen) row(i int) {
	r, rec := g.r, g.rec
	rec.reset()
	kind := netKinds.pick(r)
	d := g.device(kind)
	if kind <= kSystem && (d.health == broken && r.chance(450) ||
		d.health == flaky && r.chance(150)) {
		// A sensor that cannot reach its cloud retries, and its retries
		// crowd the device's other traffic.
		kind = kDefender
	}
	ts := g.timestamp(i)
	rec.time(nTimestamp, types.Date(ts))
	rec.str(nDeviceId, d.id)
	rec.str(nDeviceName, d.name)
	rec.str(nLocalIP, d.ipStr)
	rec.str(nLocalIPType, "Private")
	rec.str(nProtocol, "Tcp")
	rec.str(nRemoteUrl, "")
	rec.num(nLocalPort, int64(r.between(49152, 65535)))
	var p *process
	switch kind {
	case kDefender:
		p = g.defender(d)
	case kWeb:
		p = g.web(d)
	case kIntranet:
		p = g.intranet(d)
	case kSystem:
		p = g.system(d)
	case kInbound:
		p = g.inbound(d)
	case kListen:
		p = g.listen(d)
	default:
		p = g.suspicious(d)
	}
	g.process(d, p, ts)
	g.report += int64(1 + r.intn(4))
	rec.num(nReportId, g.report)
	rec.str(nAppGuardContainerId, "")
	switch x := r.intn(100); {
	case x < 12:
		g.additional()
	case x < 17:
		// AdditionalFields missing, as in exports that drop empty columns.
	default:
		rec.null(nAdditionalFields)
	}
}

// outbound fills the action and remote address of an outbound connection
// to e, failing with probability fail per mille.
func (g *netGen) outbound(d *device, e *endpoint, fail int, viaProxy bool) {
	r, rec := g.r, g.rec
	action := "ConnectionSuccess"
	switch x := r.intn(1000); {
	case x < fail:
		action = "ConnectionFailed"
	case x < fail+40:
		action = "ConnectionAttempt"
	}
	rec.str(nActionType, action)
	port := int64(443)
	switch e.scheme {
	case "http":
		port = 80
	case "udp":
		port = 123
		rec.str(nProtocol, "Udp")
	}
	start := rec.mark()
	if viaProxy {
		a, b, c, x := d.proxyIP()
		rec.arena = appendIP(rec.arena, a, b, c, x)
		rec.done(nRemoteIP, start)
		rec.str(nRemoteIPType, "Private")
		rec.num(nRemotePort, 8080)
		return
	}
	rec.arena = appendIP(rec.arena, e.net[0], e.net[1], e.net[2], 4+r.intn(60))
	rec.done(nRemoteIP, start)
	rec.str(nRemoteIPType, "Public")
	rec.num(nRemotePort, port)
}

// url writes e's host to RemoteUrl in one of the shapes Defender records:
// bare, as a URL with scheme and path (sometimes with the port), or as
// host:port. bare is the per-mille share of bare hosts.
func (g *netGen) url(e *endpoint, bare int) {
	r, rec := g.r, g.rec
	x := r.intn(1000)
	if x < bare || len(e.paths) == 0 {
		rec.str(nRemoteUrl, e.host)
		return
	}
	start := rec.mark()
	scheme := e.scheme
	if scheme == "udp" {
		scheme = "http"
	}
	x = r.intn(100)
	switch {
	case x < 70:
		rec.arena = append(rec.arena, scheme+"://"+e.host...)
	case x < 85:
		port := "443"
		if scheme == "http" {
			port = "80"
		}
		rec.arena = append(rec.arena, scheme+"://"+e.host+":"+port...)
	case x < 93:
		rec.arena = append(rec.arena, e.host+":443"...)
		rec.done(nRemoteUrl, start)
		return
	default:
		rec.arena = append(rec.arena, scheme+"://"+e.host...)
		rec.done(nRemoteUrl, start)
		return
	}
	rec.arena = append(rec.arena, pick(r, e.paths)...)
	rec.done(nRemoteUrl, start)
}

func (g *netGen) defender(d *device) *process {
	r := g.r
	var e *endpoint
	switch x := r.intn(100); {
	case x < 62:
		e = pick(r, defenderByRegion[d.site.region])
	case x < 72:
		e = epSettings
	case x < 80:
		e = epCtl
	case x < 84:
		e = epEvents
	case x < 92:
		e = epCP
	case x < 96:
		e = epBlob
	default:
		e = epCRL
	}
	fail := 15
	switch d.health {
	case flaky:
		fail = 300
	case broken:
		fail = 880
	}
	g.outbound(d, e, fail, d.health == broken)
	g.url(e, 450)
	switch {
	case d.os == linux:
		return pMdatp
	case d.os == macOS:
		return pMacMde
	case e == epCP || e == epCRL:
		return pMpEng
	case e == epCtl:
		return pCrypt
	case e.paths[0] == "/commands":
		if r.chance(300) {
			return pCnc
		}
		return pSense
	case e == epBlob:
		return pSense
	}
	if r.chance(500) {
		return pDiag
	}
	return pSense
}

func (g *netGen) web(d *device) *process {
	r := g.r
	e := pick(r, web)
	g.outbound(d, e, 15, false)
	if r.chance(120) {
		return g.webProcess(d) // connection by address only
	}
	g.url(e, 780)
	return g.webProcess(d)
}

func (g *netGen) webProcess(d *device) *process {
	switch d.os {
	case linux:
		return pCurl
	case macOS:
		return pMacWeb
	case winServer:
		// Server traffic comes from agents; an inventory script now and then.
		if g.r.chance(80) {
			return pPS
		}
		return pick(g.r, []*process{pAgent, pAgent, pEdge})
	}
	return pick(g.r, []*process{pEdge, pEdge, pChrome, pTeams, pOutlook, pOneDrive})
}

func (g *netGen) intranet(d *device) *process {
	r, rec := g.r, g.rec
	s := intranet[r.intn(len(intranet))]
	action := "ConnectionSuccess"
	if r.chance(25) {
		action = "ConnectionFailed"
	}
	rec.str(nActionType, action)
	start := rec.mark()
	rec.arena = appendIP(rec.arena, 10, d.site.octet, 0, s.last)
	rec.done(nRemoteIP, start)
	rec.str(nRemoteIPType, "Private")
	rec.num(nRemotePort, int64(s.port))
	if s.host != "" {
		rec.str(nRemoteUrl, s.host)
	}
	if d.os == linux || d.os == macOS {
		return pCurl
	}
	return s.proc
}

func (g *netGen) system(d *device) *process {
	r := g.r
	switch d.os {
	case linux:
		e := epUbuntu
		if r.chance(400) {
			e = epPkgs
		}
		g.outbound(d, e, 20, false)
		g.url(e, 300)
		return pApt
	case macOS:
		g.outbound(d, epTime, 10, false)
		g.url(epTime, 1000)
		return pMacWeb
	}
	e := pick(r, []*endpoint{epWU, epWU, epWUDl, epNCSI, epTime})
	g.outbound(d, e, 20, false)
	g.url(e, 500)
	if e == epNCSI || e == epTime {
		return pRPC
	}
	return pWU
}

func (g *netGen) inbound(d *device) *process {
	r, rec := g.r, g.rec
	rec.str(nActionType, "InboundConnectionAccepted")
	port, p := int64(445), pSystem
	switch {
	case d.os == linux:
		port, p = 22, pSshd
		if d.role == "web" || d.role == "proxy" {
			port, p = 443, pNginx
		}
	case d.os == winServer && d.role == "sql":
		port, p = 1433, pSQL
	case d.os == winServer && d.role == "web":
		port, p = 443, pW3wp
	case d.os == winServer && (d.role == "rds" || r.chance(300)):
		port, p = 3389, pTerm
	}
	rec.num(nLocalPort, port)
	rec.num(nRemotePort, int64(r.between(49152, 65535)))
	start := rec.mark()
	if d.internet && (port == 3389 || port == 22) && r.chance(400) {
		// Someone on the internet reaches an exposed remote access port.
		rec.arena = appendIP(rec.arena, pick(r, []int{45, 185, 193, 91}), r.intn(256),
			r.intn(256), r.between(1, 254))
		rec.done(nRemoteIP, start)
		rec.str(nRemoteIPType, "Public")
		return p
	}
	rec.arena = appendIP(rec.arena, 10, d.site.octet, r.between(1, 250), r.between(10, 250))
	rec.done(nRemoteIP, start)
	rec.str(nRemoteIPType, "Private")
	return p
}

func (g *netGen) listen(d *device) *process {
	r, rec := g.r, g.rec
	rec.str(nActionType, "ListeningConnectionCreated")
	rec.str(nRemoteIP, "")
	rec.null(nRemotePort)
	rec.str(nRemoteIPType, "")
	rec.str(nLocalIP, pick(r, []string{"0.0.0.0", "0.0.0.0", "::"}))
	if r.chance(100) {
		rec.str(nLocalIPType, "Unspecified")
	}
	port, p := int64(135), pRPC
	switch {
	case d.os == linux:
		port, p = 22, pSshd
		if d.role == "web" {
			port, p = 443, pNginx
		}
	case d.os == macOS:
		port, p = 5000, pMacWeb
	case d.os == winServer && d.role == "sql":
		port, p = 1433, pSQL
	case r.chance(300):
		port, p = 445, pSystem
	case d.os == winClient && r.chance(30):
		port, p = 8000, pPython // a developer's ad hoc web server
	}
	rec.num(nLocalPort, port)
	return p
}

func (g *netGen) suspicious(d *device) *process {
	r, rec := g.r, g.rec
	if d.os == linux {
		rec.str(nActionType, "ListeningConnectionCreated")
		rec.str(nRemoteIP, "")
		rec.null(nRemotePort)
		rec.str(nLocalIP, "0.0.0.0")
		rec.num(nLocalPort, 4444)
		return pNc
	}
	switch r.intn(3) {
	case 0:
		g.outbound(d, epPaste, 0, false)
		g.url(epPaste, 200)
		return pPSBad
	case 1:
		e := web[9] // raw.githubusercontent.com
		g.outbound(d, e, 0, false)
		g.url(e, 0)
		return pPSBad
	}
	rec.str(nActionType, "ConnectionSuccess")
	start := rec.mark()
	rec.arena = appendIP(rec.arena, 185, 141, 63, 120)
	rec.done(nRemoteIP, start)
	rec.str(nRemoteIPType, "Public")
	rec.num(nRemotePort, int64(pick(r, []int{443, 8443, 4444})))
	return pRundll
}

// process fills the InitiatingProcess columns for p on d at ts.
func (g *netGen) process(d *device, p *process, ts int64) {
	fillProcess(g.r, g.rec, d, p, ts, &netProcCols)
}

// additional writes a JSON-string AdditionalFields value.
func (g *netGen) additional() {
	r, rec := g.r, g.rec
	start := rec.mark()
	switch r.intn(3) {
	case 0:
		rec.arena = append(rec.arena, `{"direction":"`...)
		if rec.cells[nActionType].s == "InboundConnectionAccepted" {
			rec.arena = append(rec.arena, "In"...)
		} else {
			rec.arena = append(rec.arena, "Out"...)
		}
		rec.arena = append(rec.arena, `"}`...)
	case 1:
		rec.arena = append(rec.arena, `{"isProxied":`...)
		rec.arena = strconv.AppendBool(rec.arena, rec.cells[nRemotePort].i == 8080)
		rec.arena = append(rec.arena, `,"packetCount":`...)
		rec.arena = strconv.AppendInt(rec.arena, int64(r.between(1, 40)), 10)
		rec.arena = append(rec.arena, '}')
	default:
		rec.arena = append(rec.arena, "{}"...)
	}
	rec.done(nAdditionalFields, start)
}
