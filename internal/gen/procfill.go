package gen

import (
	"strconv"

	"github.com/huntql/huntql/internal/types"
)

// procCols names the columns that describe one process in a table; -1
// marks a column the table does not have.
type procCols struct {
	sha1, sha256, md5, file, size                       int
	company, product, version, internal, original, desc int
	pid, cmd, created, folder                           int
	parentFile, parentID, parentCreated                 int
	domain, name, sid, upn, objectID                    int
	integrity, elevation                                int
	session, remote, remoteDevice, remoteIP             int
	uniqueID, logonID                                   int
}

// netProcCols are DeviceNetworkEvents' InitiatingProcess columns.
var netProcCols = procCols{
	sha1: nInitiatingProcessSHA1, sha256: nInitiatingProcessSHA256,
	md5: nInitiatingProcessMD5, file: nInitiatingProcessFileName,
	size: nInitiatingProcessFileSize, company: nInitiatingProcessVersionInfoCompanyName,
	product:  nInitiatingProcessVersionInfoProductName,
	version:  nInitiatingProcessVersionInfoProductVersion,
	internal: nInitiatingProcessVersionInfoInternalFileName,
	original: nInitiatingProcessVersionInfoOriginalFileName,
	desc:     nInitiatingProcessVersionInfoFileDescription,
	pid:      nInitiatingProcessId, cmd: nInitiatingProcessCommandLine,
	created: nInitiatingProcessCreationTime, folder: nInitiatingProcessFolderPath,
	parentFile: nInitiatingProcessParentFileName, parentID: nInitiatingProcessParentId,
	parentCreated: nInitiatingProcessParentCreationTime,
	domain:        nInitiatingProcessAccountDomain, name: nInitiatingProcessAccountName,
	sid: nInitiatingProcessAccountSid, upn: nInitiatingProcessAccountUpn,
	objectID: nInitiatingProcessAccountObjectId, integrity: nInitiatingProcessIntegrityLevel,
	elevation: nInitiatingProcessTokenElevation, session: nInitiatingProcessSessionId,
	remote:       nIsInitiatingProcessRemoteSession,
	remoteDevice: nInitiatingProcessRemoteSessionDeviceName,
	remoteIP:     nInitiatingProcessRemoteSessionIP,
	uniqueID:     nInitiatingProcessUniqueId, logonID: nLogonID,
}

// fillProcess writes the columns cols of process p running on d at ts.
func fillProcess(r *rng, rec *record, d *device, p *process, ts int64, cols *procCols) {
	rec.str(cols.sha1, p.sha1)
	rec.str(cols.sha256, p.sha256)
	rec.str(cols.md5, p.md5)
	rec.str(cols.file, p.file)
	if p.size == 0 || r.chance(80) {
		rec.null(cols.size)
	} else {
		rec.num(cols.size, p.size)
	}
	rec.str(cols.company, p.company)
	rec.str(cols.product, p.product)
	rec.str(cols.version, p.version)
	internal := ""
	if p.company != "" {
		internal = p.file
	}
	rec.str(cols.internal, internal)
	rec.str(cols.original, internal)
	rec.str(cols.desc, p.desc)
	pid := d.pid(p.id)
	if p == pSystem {
		pid = 4
	}
	rec.num(cols.pid, pid)
	rec.str(cols.cmd, p.cmd)
	created := ts - int64(types.Second) - r.int64n(3*int64(types.Day))
	if r.chance(40) {
		rec.null(cols.created)
	} else {
		rec.time(cols.created, types.Date(created))
	}
	rec.str(cols.folder, p.folder)
	rec.str(cols.parentFile, p.parent)
	if p.parent == "" {
		rec.num(cols.parentID, 0)
		rec.null(cols.parentCreated)
	} else {
		rec.num(cols.parentID, d.pid(p.id+97))
		if r.chance(60) {
			rec.null(cols.parentCreated)
		} else {
			rec.time(cols.parentCreated, types.Date(created-r.int64n(int64(types.Day))))
		}
	}
	acct := d.user
	if p.system {
		acct = systemAccount
		if d.os == linux || d.os == macOS {
			acct = account{name: "root"}
		}
	}
	rec.str(cols.domain, acct.domain)
	rec.str(cols.name, acct.name)
	rec.str(cols.sid, acct.sid)
	rec.str(cols.upn, acct.upn)
	rec.str(cols.objectID, acct.objectID)
	integrity, elevation := p.integrity, "TokenElevationTypeLimited"
	if p.system {
		elevation = "TokenElevationTypeDefault"
	}
	if d.os == linux || d.os == macOS {
		integrity, elevation = "", "None"
	}
	rec.str(cols.integrity, integrity)
	rec.str(cols.elevation, elevation)
	if d.legacy {
		return // an older sensor: the newer columns are missing
	}
	session := int64(0)
	remote := false
	if !p.system {
		session = 1
		remote = d.os == winServer || r.chance(20)
		if remote {
			session = int64(2 + r.intn(3))
		}
	}
	rec.num(cols.session, session)
	rec.boolean(cols.remote, remote)
	if remote {
		rec.str(cols.remoteDevice, "JUMP-01")
		rec.str(cols.remoteIP, "10.12.0.60")
	} else {
		rec.str(cols.remoteDevice, "")
		rec.str(cols.remoteIP, "")
	}
	start := rec.mark()
	rec.arena = strconv.AppendInt(rec.arena, 281474976710656+int64(d.idx)<<20+pid, 10)
	rec.done(cols.uniqueID, start)
	if p.system {
		rec.num(cols.logonID, 999)
	} else {
		rec.num(cols.logonID, 100_000+int64(d.pidSalt))
	}
}
