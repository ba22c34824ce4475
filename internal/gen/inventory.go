package gen

import (
	"strconv"
	"time"

	"github.com/huntql/huntql/internal/types"
)

// reportTimes calls emit with every device and a time in each day of the
// span the device reports its inventory on, day by day.
func reportTimes(r *rng, fl *fleet, opts Options, emit func(d *device, ts int64) error) error {
	lo := opts.Start
	hi := opts.Start.Add(opts.Span)
	day := lo.Truncate(24 * time.Hour)
	for n := 0; n < opts.days(); n++ {
		from, to := day, day.Add(24*time.Hour)
		if from.Before(lo) {
			from = lo
		}
		if to.After(hi) {
			to = hi
		}
		width := int64(types.DateFromTime(to) - types.DateFromTime(from))
		base := int64(types.DateFromTime(from))
		for i := range fl.devices {
			if err := emit(&fl.devices[i], base+r.int64n(max(width, 1))); err != nil {
				return err
			}
		}
		day = day.Add(24 * time.Hour)
	}
	return nil
}

func writeDeviceInfo(enc encoder, fl *fleet, opts Options) error {
	r := newRNG(opts.Seed, "DeviceInfo", opts.Batch)
	rec := newRecord(iColumns)
	return reportTimes(r, fl, opts, func(d *device, ts int64) error {
		deviceInfoRow(r, rec, d, ts)
		return enc.write(rec)
	})
}

func deviceInfoRow(r *rng, rec *record, d *device, ts int64) {
	rec.reset()
	for c := range infoSchema {
		if infoSchema[c].Type == types.String {
			rec.str(c, "")
		}
	}
	rec.time(iTimestamp, types.Date(ts))
	rec.str(iDeviceId, d.id)
	rec.str(iDeviceName, d.name)
	rec.str(iClientVersion, d.client)
	rec.str(iPublicIP, d.publicIP)
	rec.str(iOSArchitecture, "64-bit")
	rec.str(iOSPlatform, d.platform)
	rec.num(iOSBuild, d.build)
	rec.boolean(iIsAzureADJoined, d.aadID != "")
	rec.str(iJoinType, d.join)
	rec.str(iAadDeviceId, d.aadID)
	start := rec.mark()
	rec.arena = append(rec.arena, `[{"UserName":`...)
	rec.arena = appendJSONString(rec.arena, d.user.name)
	if d.user.domain != "" {
		rec.arena = append(rec.arena, `,"DomainName":`...)
		rec.arena = appendJSONString(rec.arena, d.user.domain)
		rec.arena = append(rec.arena, `,"Sid":`...)
		rec.arena = appendJSONString(rec.arena, d.user.sid)
	}
	rec.arena = append(rec.arena, "}]"...)
	rec.done(iLoggedOnUsers, start)
	rec.str(iOSVersion, d.osVer)
	rec.str(iMachineGroup, d.group)
	rec.num(iReportId, ts-ts%10_000) // Defender uses the report's ticks
	rec.str(iOnboardingStatus, "Onboarded")
	if r.chance(300) {
		rec.null(iAdditionalFields)
	} else {
		rec.str(iAdditionalFields, "[]")
	}
	rec.str(iDeviceCategory, "Endpoint")
	switch d.os {
	case winServer, linux:
		rec.str(iDeviceType, "Server")
	default:
		rec.str(iDeviceType, "Workstation")
	}
	rec.str(iModel, d.model)
	rec.str(iVendor, d.vendor)
	rec.str(iOSDistribution, d.distro)
	rec.str(iOSVersionInfo, d.osInfo)
	if d.internet {
		rec.boolean(iIsInternetFacing, true)
	} else {
		rec.null(iIsInternetFacing)
	}
	state := "Active"
	switch {
	case d.health == broken && r.chance(600):
		state = "ImpairedCommunication"
	case d.health == flaky && r.chance(150):
		state = "Inactive"
	}
	rec.str(iSensorHealthState, state)
	rec.boolean(iIsExcluded, false)
	exposure := "Low"
	if d.internet {
		exposure = "High"
	} else if d.os == winServer {
		exposure = "Medium"
	}
	rec.str(iExposureLevel, exposure)
	value := "Normal"
	if d.role == "dc" || d.role == "sql" {
		value = "High"
	}
	rec.str(iAssetValue, value)
	rec.str(iDeviceManualTags, "[]")
	rec.str(iDeviceDynamicTags, "[]")
	rec.str(iConnectivityType, "Streamlined")
	if d.legacy {
		rec.str(iConnectivityType, "Standard")
	}
	rec.str(iHardwareUuid, d.hwUUID)
	rec.boolean(iIsTransient, false)
	rec.str(iOsBuildRevision, d.buildRev)
	rec.str(iSite, d.site.name)
	rec.str(iDiscoverySources, `["MdeDeviceDiscovery"]`)
	if d.legacy {
		// Older exports lack the newest columns altogether.
		for _, c := range []int{iHardwareUuid, iCloudPlatforms, iAzureVmId,
			iAzureVmSubscriptionId, iIsTransient, iOsBuildRevision, iMitigationStatus,
			iSite, iDiscoverySources} {
			rec.cells[c] = cell{}
		}
	}
}

func writeNetworkInfo(enc encoder, fl *fleet, opts Options) error {
	r := newRNG(opts.Seed, "DeviceNetworkInfo", opts.Batch)
	rec := newRecord(aColumns)
	return reportTimes(r, fl, opts, func(d *device, ts int64) error {
		adapters := 1
		if d.os == winClient || d.os == macOS {
			adapters = 2
		}
		for a := 0; a < adapters; a++ {
			adapterRow(r, rec, d, ts, a)
			if err := enc.write(rec); err != nil {
				return err
			}
		}
		return nil
	})
}

func adapterRow(r *rng, rec *record, d *device, ts int64, n int) {
	rec.reset()
	rec.time(aTimestamp, types.Date(ts))
	rec.str(aDeviceId, d.id)
	rec.str(aDeviceName, d.name)
	name, typ, vendor := "Ethernet", "Ethernet", "Intel Corporation"
	switch {
	case d.os == linux:
		name, typ, vendor = "eth0", "Unknown", "Microsoft"
	case d.os == macOS:
		name, typ, vendor = "en0", "Wireless80211", "Apple"
	case d.os == winServer:
		vendor = "Microsoft"
	}
	up := n == 0
	if n == 1 {
		name, typ = "Wi-Fi", "Wireless80211"
		if d.os == macOS {
			name, typ = "utun3", "Tunnel"
		}
	}
	rec.str(aNetworkAdapterName, name)
	mac := d.mac
	if n == 1 {
		mac = mac[:15] + strconv.Itoa(10+r.intn(89))
	}
	rec.str(aMacAddress, mac)
	rec.str(aNetworkAdapterType, typ)
	status := "Up"
	if !up {
		status = "Down"
	}
	rec.str(aNetworkAdapterStatus, status)
	rec.str(aTunnelType, "None")
	octet := strconv.Itoa(d.site.octet)
	if up {
		rec.str(aConnectedNetworks, `[{"Name":"contoso.local","Description":"contoso.local",`+
			`"IsConnectedToInternet":true,"Category":"Domain"}]`)
		rec.str(aDnsAddresses, `["10.`+octet+`.0.10","10.`+octet+`.0.11"]`)
		rec.str(aIPv4Dhcp, "10."+octet+".0.2")
		rec.str(aDefaultGateways, `["10.`+strconv.Itoa(d.ip[1])+`.`+strconv.Itoa(d.ip[2])+`.1"]`)
		rec.str(aIPAddresses, `[{"IPAddress":"`+d.ipStr+
			`","SubnetPrefix":24,"AddressType":"Private"}]`)
	} else {
		rec.null(aConnectedNetworks)
		rec.null(aDnsAddresses)
		rec.str(aIPv4Dhcp, "")
		rec.null(aDefaultGateways)
		rec.str(aIPAddresses, "[]")
	}
	rec.str(aIPv6Dhcp, "")
	rec.num(aReportId, ts-ts%10_000)
	rec.str(aNetworkAdapterVendor, vendor)
	rec.str(aOnboardingStatus, "Onboarded")
	suffix := "contoso.local"
	if d.join == "Workgroup" || !up {
		suffix = ""
	}
	rec.str(aNetworkAdapterDnsSuffix, suffix)
}
