package gen

import (
	"fmt"
	"strconv"
)

// osKind is a device's operating system family.
type osKind uint8

const (
	winClient osKind = iota
	winServer
	linux
	macOS
)

// health is how well a device's sensor reaches the Defender cloud.
type health uint8

const (
	healthy health = iota
	flaky          // fails now and then: a congested link or a strict firewall
	broken         // behind a proxy that blocks the Defender endpoints
)

// Regions of the Defender cloud a device reports to.
const (
	regionUS = iota
	regionEU
	regionUK
)

// site is an office or data center with its own subnet and proxy.
type site struct {
	name   string
	region int
	octet  int // devices live in 10.octet.0.0/16
}

var sites = []site{
	{"SEA", regionUS, 12}, {"NYC", regionUS, 14}, {"DAL", regionUS, 16},
	{"AMS", regionEU, 21}, {"FRA", regionEU, 23}, {"LON", regionUK, 31},
}

// device is one machine of the fleet, with everything that stays the same
// across its rows.
type device struct {
	idx      int
	id       string // 40 hex digits
	name     string // FQDN for domain members, bare host name otherwise
	os       osKind
	role     string // server role, "" for clients
	platform string
	build    int64
	osVer    string
	osInfo   string
	buildRev string
	distro   string
	client   string // sensor version
	site     *site
	ip       [4]int
	ipStr    string
	publicIP string
	mac      string
	health   health
	legacy   bool // older sensor: newer columns are missing from its rows
	internet bool // internet facing
	user     account
	join     string
	aadID    string
	vendor   string
	model    string
	group    string
	hwUUID   string
	pidSalt  int
}

// account is a user or service account.
type account struct {
	domain, name, sid, upn, objectID string
}

var systemAccount = account{domain: "nt authority", name: "system", sid: "S-1-5-18"}

var surnames = []string{
	"adams", "baker", "chen", "diaz", "evans", "fischer", "garcia", "hughes", "ito",
	"jansen", "kowalski", "lopez", "martin", "nguyen", "okafor", "patel", "quinn", "rossi",
	"schmidt", "tanaka", "usman", "varga", "walsh", "xu", "yilmaz", "zhang", "moreau",
	"novak", "larsen", "silva", "kim", "murphy", "dubois", "weber", "costa", "ali",
}

// fleet is the tenant's device fleet.
type fleet struct {
	devices []device
	busy    int // devices[:busy] are servers and power users that talk more
	domain  string
	sidBase string
}

// newFleet builds the fleet of opts. It depends on Seed and Devices only,
// so every table and batch of one tenant describes the same machines.
func newFleet(opts Options) *fleet {
	r := newRNG(opts.Seed, "fleet", 0)
	f := &fleet{domain: "contoso.local"}
	f.sidBase = fmt.Sprintf("S-1-5-21-%d-%d-%d", 1000000000+r.intn(1000000000),
		1000000000+r.intn(1000000000), 100000000+r.intn(900000000))
	f.devices = make([]device, opts.Devices)
	kinds := newWeighted(55, 20, 15, 7, 3) // workstation, laptop, server, linux, mac
	counters := map[string]int{}
	roles := []string{"sql", "web", "file", "dc", "app", "print", "exch", "rds"}
	linuxRoles := []string{"web", "db", "k8s", "build", "proxy", "mon"}
	for i := range f.devices {
		d := &f.devices[i]
		d.idx = i
		d.id = r.hex(40)
		d.pidSalt = r.intn(1 << 20)
		d.site = &sites[newWeighted(30, 15, 10, 15, 10, 20).pick(r)]
		d.ip = [4]int{10, d.site.octet + r.intn(2), r.between(1, 250), r.between(10, 250)}
		d.ipStr = ipString(d.ip[0], d.ip[1], d.ip[2], d.ip[3])
		d.publicIP = ipString(40+d.site.octet, 80+d.site.octet, 17, r.between(2, 30))
		d.mac = fmt.Sprintf("%02X-%02X-%02X-%02X-%02X-%02X", 0x00, 0x15, 0x5d,
			r.intn(256), r.intn(256), r.intn(256))
		d.hwUUID = r.guid()
		first := string(rune('a' + r.intn(26)))
		user := first + pick(r, surnames)
		var prefix string
		switch kinds.pick(r) {
		case 0:
			d.os, prefix = winClient, "wks"
		case 1:
			d.os, prefix = winClient, "lap"
		case 2:
			d.os = winServer
			d.role = pick(r, roles)
			prefix = "srv-" + d.role
		case 3:
			d.os = linux
			d.role = pick(r, linuxRoles)
			prefix = "lnx-" + d.role
		default:
			d.os, prefix = macOS, "mac"
		}
		counters[prefix] += 1 + r.intn(3)
		n := counters[prefix]
		short := fmt.Sprintf("%s-%04d", prefix, n)
		if d.role != "" {
			short = fmt.Sprintf("%s-%02d", prefix, n)
		}
		d.name = short + "." + f.domain
		d.join = "Domain Joined"
		d.user = account{domain: "contoso", name: user,
			sid: f.sidBase + "-" + strconv.Itoa(1100+i), upn: user + "@contoso.com",
			objectID: r.guid()}
		d.setOS(r)
		if d.os == linux || d.os == macOS || r.chance(40) {
			// Not domain joined: the bare host name, as such devices report it.
			d.name = short
			d.join = "Workgroup"
		}
		if d.os == winClient && d.join != "Workgroup" && r.chance(600) {
			d.join = "Hybrid Azure AD Join"
			d.aadID = r.guid()
		}
		if d.os == linux {
			d.user = account{name: "root"}
		}
		if d.os == winServer || d.os == linux {
			d.user = account{domain: "contoso", name: "svc-" + d.role,
				sid: f.sidBase + "-" + strconv.Itoa(5100+i), upn: "svc-" + d.role + "@contoso.com"}
			if d.os == linux {
				d.user = account{name: "root"}
			}
			d.internet = r.chance(120)
		}
		switch x := r.intn(1000); {
		case x < 55:
			d.health = broken
		case x < 150:
			d.health = flaky
		}
		d.legacy = r.chance(200)
		d.group = "Workstations"
		if d.os == winServer || d.os == linux {
			d.group = "Servers"
		}
	}
	// Servers talk more; put them first in the busy set by a stable partition.
	busy := make([]device, 0, len(f.devices))
	rest := make([]device, 0, len(f.devices))
	for _, d := range f.devices {
		if d.os == winServer || d.os == linux {
			busy = append(busy, d)
		} else {
			rest = append(rest, d)
		}
	}
	f.busy = len(busy)
	f.devices = append(busy, rest...)
	for i := range f.devices {
		f.devices[i].idx = i
	}
	return f
}

// setOS fills in the operating system, hardware and sensor version.
func (d *device) setOS(r *rng) {
	switch d.os {
	case winClient:
		if r.chance(650) {
			d.platform, d.build, d.osInfo = "Windows11", 22631, "23H2"
			if r.chance(400) {
				d.build, d.osInfo = 26100, "24H2"
			}
		} else {
			d.platform, d.build, d.osInfo = "Windows10", 19045, "22H2"
		}
		d.osVer = "10.0"
		d.buildRev = strconv.Itoa(r.between(3000, 5200))
		d.client = fmt.Sprintf("10.8760.%d.%d", d.build, r.between(1000, 5200))
		hw := pick(r, clientHardware)
		d.vendor, d.model = hw[0], hw[1]
	case winServer:
		if r.chance(600) {
			d.platform, d.build, d.osInfo = "WindowsServer2022", 20348, "21H2"
		} else {
			d.platform, d.build, d.osInfo = "WindowsServer2019", 17763, "1809"
		}
		d.osVer = "10.0"
		d.buildRev = strconv.Itoa(r.between(2000, 6800))
		d.client = fmt.Sprintf("10.8760.%d.%d", d.build, r.between(1000, 5200))
		d.vendor, d.model = "Microsoft Corporation", "Virtual Machine"
	case linux:
		d.platform, d.build = "Linux", 1
		if r.chance(700) {
			d.distro, d.osVer = "Ubuntu", pick(r, []string{"22.4", "24.4"})
		} else {
			d.distro, d.osVer = "RedHat", "9.4"
		}
		d.client = fmt.Sprintf("101.%d.%04d", pick(r, []int{24092, 24122, 25012}), r.intn(40))
	case macOS:
		d.platform, d.build = "macOS", 0
		d.osVer = pick(r, []string{"14.6", "15.3", "15.4"})
		d.client = fmt.Sprintf("101.%d.%04d", pick(r, []int{24092, 25012}), r.intn(40))
		d.vendor, d.model = "Apple Inc.", pick(r, []string{"MacBookPro18,3", "Mac14,2"})
	}
}

var clientHardware = [][2]string{
	{"Dell Inc.", "Latitude 7440"}, {"Dell Inc.", "OptiPlex 7010"},
	{"LENOVO", "21HD003QUS"}, {"LENOVO", "20XW0026GE"},
	{"HP", "HP EliteBook 840 G9"}, {"Microsoft Corporation", "Surface Laptop 5"},
}

// pid returns a stable process id for the device and process: Windows
// process ids are multiples of 4.
func (d *device) pid(proc int) int64 {
	x := uint32(d.pidSalt)*2654435761 ^ uint32(proc)*40503
	return int64(400 + (x%16000)*4)
}

// proxyIP returns the address of the device's site proxy.
func (d *device) proxyIP() (a, b, c, e int) { return 10, d.site.octet, 0, 50 }
