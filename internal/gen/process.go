package gen

import (
	"strconv"

	"github.com/huntql/huntql/internal/types"
)

// createdProcCols are DeviceProcessEvents' columns of the created process.
var createdProcCols = procCols{
	sha1: pSHA1, sha256: pSHA256, md5: pMD5, file: pFileName, size: pFileSize,
	company: pProcessVersionInfoCompanyName, product: pProcessVersionInfoProductName,
	version:  pProcessVersionInfoProductVersion,
	internal: pProcessVersionInfoInternalFileName,
	original: pProcessVersionInfoOriginalFileName,
	desc:     pProcessVersionInfoFileDescription,
	pid:      pProcessId, cmd: pProcessCommandLine, created: pProcessCreationTime,
	folder: pFolderPath, parentFile: -1, parentID: -1, parentCreated: -1,
	domain: pAccountDomain, name: pAccountName, sid: pAccountSid, upn: pAccountUpn,
	objectID: pAccountObjectId, integrity: pProcessIntegrityLevel,
	elevation: pProcessTokenElevation, session: pCreatedProcessSessionId,
	remote: pIsProcessRemoteSession, remoteDevice: pProcessRemoteSessionDeviceName,
	remoteIP: pProcessRemoteSessionIP, uniqueID: pProcessUniqueId, logonID: pLogonId,
}

// initiatingProcCols are DeviceProcessEvents' InitiatingProcess columns.
var initiatingProcCols = procCols{
	sha1: pInitiatingProcessSHA1, sha256: pInitiatingProcessSHA256,
	md5: pInitiatingProcessMD5, file: pInitiatingProcessFileName,
	size: pInitiatingProcessFileSize, company: pInitiatingProcessVersionInfoCompanyName,
	product:  pInitiatingProcessVersionInfoProductName,
	version:  pInitiatingProcessVersionInfoProductVersion,
	internal: pInitiatingProcessVersionInfoInternalFileName,
	original: pInitiatingProcessVersionInfoOriginalFileName,
	desc:     pInitiatingProcessVersionInfoFileDescription,
	pid:      pInitiatingProcessId, cmd: pInitiatingProcessCommandLine,
	created: pInitiatingProcessCreationTime, folder: pInitiatingProcessFolderPath,
	parentFile: pInitiatingProcessParentFileName, parentID: pInitiatingProcessParentId,
	parentCreated: pInitiatingProcessParentCreationTime,
	domain:        pInitiatingProcessAccountDomain, name: pInitiatingProcessAccountName,
	sid: pInitiatingProcessAccountSid, upn: pInitiatingProcessAccountUpn,
	objectID: pInitiatingProcessAccountObjectId, integrity: pInitiatingProcessIntegrityLevel,
	elevation: pInitiatingProcessTokenElevation, session: pInitiatingProcessSessionId,
	remote:       pIsInitiatingProcessRemoteSession,
	remoteDevice: pInitiatingProcessRemoteSessionDeviceName,
	remoteIP:     pInitiatingProcessRemoteSessionIP,
	uniqueID:     pInitiatingProcessUniqueId, logonID: pInitiatingProcessLogonId,
}

var pBash = proc("/usr/bin/bash", "bash", "sshd", "", "", "", "", true)

// spawn is a parent process starting a child.
type spawn struct{ parent, child *process }

var (
	windowsSpawns = []spawn{
		{pExplorer, pEdge}, {pExplorer, pEdge}, {pExplorer, pChrome}, {pExplorer, pTeams},
		{pExplorer, pOutlook}, {pExplorer, pOneDrive}, {pExplorer, pCmd},
		{pExplorer, pWinword}, {pCmd, pPython}, {pSense, pCnc}, {pPS, pCmd},
	}
	serverSpawns = []spawn{{pPS, pCmd}, {pSense, pCnc}, {pCmd, pPS}}
	unixSpawns   = []spawn{{pBash, pCurl}, {pSshd, pBash}}
	badSpawns    = []spawn{{pWinword, pPSBad}, {pPSBad, pRundll}}
)

func writeProcessEvents(enc encoder, fl *fleet, opts Options) error {
	r := newRNG(opts.Seed, "DeviceProcessEvents", opts.Batch)
	rec := newRecord(pColumns)
	start := int64(types.DateFromTime(opts.Start))
	step := float64(opts.Span/100) / float64(opts.ProcessRows)
	report := 20_000 + int64(opts.Batch)*100_000_000
	sr := newRNG(opts.Seed, "suspects", 0)
	var suspects []int
	for i := 0; i < 3; i++ {
		suspects = append(suspects, sr.intn(len(fl.devices)))
	}
	for i := 0; i < opts.ProcessRows; i++ {
		ts := start + int64(float64(i)*step) + r.int64n(max(int64(step), 1))
		d := &fl.devices[r.intn(len(fl.devices))]
		var s spawn
		switch {
		case r.chance(4):
			d = &fl.devices[pick(r, suspects)]
			s = pick(r, badSpawns)
		case d.os == linux || d.os == macOS:
			s = pick(r, unixSpawns)
		case d.os == winServer:
			s = pick(r, serverSpawns)
		default:
			s = pick(r, windowsSpawns)
		}
		if d.os == linux || d.os == macOS {
			s = pick(r, unixSpawns)
		}
		rec.reset()
		rec.time(pTimestamp, types.Date(ts))
		rec.str(pDeviceId, d.id)
		rec.str(pDeviceName, d.name)
		rec.str(pActionType, "ProcessCreated")
		fillProcess(r, rec, d, s.child, ts, &createdProcCols)
		rec.time(pProcessCreationTime, types.Date(ts))
		fillProcess(r, rec, d, s.parent, ts, &initiatingProcCols)
		signer, status := "OsVendor", "Valid"
		switch {
		case s.parent.folder == "" || s.parent.company == "":
			signer, status = "", ""
		case s.parent.company != ms:
			signer = "Unknown"
		}
		rec.str(pInitiatingProcessSignerType, signer)
		rec.str(pInitiatingProcessSignatureStatus, status)
		report += int64(1 + r.intn(4))
		rec.num(pReportId, report)
		rec.str(pAppGuardContainerId, "")
		if r.chance(100) {
			key := strconv.FormatInt(ts/int64(types.Second), 10)
			rec.str(pAdditionalFields, `{"ProcessStartKey":`+key+`}`)
		} else {
			rec.null(pAdditionalFields)
		}
		if c := rec.cells[pLogonId]; c.k == kInt {
			rec.num(pLogonID, c.i)
		}
		if err := enc.write(rec); err != nil {
			return err
		}
	}
	return nil
}
