package gen

import "strings"

// process is a program that opens connections or is started, with the
// image details Defender reports for it.
type process struct {
	id        int
	file      string
	folder    string // full path of the image, "" for the System process
	cmd       string
	parent    string
	company   string
	product   string
	version   string
	desc      string
	system    bool // runs as SYSTEM (root on Linux and macOS)
	integrity string
	sha1      string
	sha256    string
	md5       string
	size      int64
}

var processes []*process

// proc registers a process. Its hashes and size derive from its path alone,
// so one binary has the same hash on every device and in every tenant.
func proc(folder, cmd, parent, company, product, version, desc string, system bool) *process {
	file := folder
	if i := strings.LastIndexAny(folder, `\/`); i >= 0 {
		file = folder[i+1:]
	}
	p := &process{id: len(processes), file: file, folder: folder, cmd: cmd, parent: parent,
		company: company, product: product, version: version, desc: desc, system: system}
	if folder == "" {
		p.file = cmd
		p.cmd = ""
	}
	p.integrity = "Medium"
	if system {
		p.integrity = "System"
	}
	if folder != "" {
		r := newRNG(0, folder, 0)
		p.sha1, p.sha256, p.md5 = r.hex(40), r.hex(64), r.hex(32)
		p.size = int64(r.between(40_000, 9_000_000))
	}
	processes = append(processes, p)
	return p
}

const (
	ms      = "Microsoft Corporation"
	msWin   = "Microsoft® Windows® Operating System"
	winVer  = "10.0.22621.3958"
	sys32   = `C:\Windows\System32\`
	senseIn = `C:\Program Files\Windows Defender Advanced Threat Protection\`
	mpDir   = `C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.25030.2-0\`
)

// The processes of the generated telemetry.
var (
	pSense = proc(senseIn+"MsSense.exe", `"MsSense.exe"`, "services.exe", ms, msWin,
		"10.8760.22631.3593",
		"Windows Defender Advanced Threat Protection Service Executable", true)
	pCnc = proc(senseIn+"SenseCncProxy.exe", `"SenseCncProxy.exe"`, "MsSense.exe", ms, msWin,
		"10.8760.22631.3593", "Communication Module", true)
	pDiag = proc(sys32+"svchost.exe", "svchost.exe -k utcsvc -p", "services.exe", ms, msWin,
		winVer, "Host Process for Windows Services", true)
	pCrypt = proc(sys32+"svchost.exe", "svchost.exe -k NetworkService -p -s CryptSvc",
		"services.exe", ms, msWin, winVer, "Host Process for Windows Services", true)
	pWU = proc(sys32+"svchost.exe", "svchost.exe -k netsvcs -p -s wuauserv", "services.exe",
		ms, msWin, winVer, "Host Process for Windows Services", true)
	pTerm = proc(sys32+"svchost.exe", "svchost.exe -k termsvcs -s TermService", "services.exe",
		ms, msWin, winVer, "Host Process for Windows Services", true)
	pRPC = proc(sys32+"svchost.exe", "svchost.exe -k RPCSS -p", "services.exe",
		ms, msWin, winVer, "Host Process for Windows Services", true)
	pMpEng = proc(mpDir+"MsMpEng.exe", `"MsMpEng.exe"`, "services.exe", ms, msWin,
		"4.18.25030.2", "Antimalware Service Executable", true)
	pSystem = proc("", "System", "", "", "", "", "", true)
	pLsass  = proc(sys32+"lsass.exe", `C:\Windows\system32\lsass.exe`, "wininit.exe", ms, msWin,
		winVer, "Local Security Authority Process", true)
	pEdge = proc(`C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`,
		`"msedge.exe" --type=utility --utility-sub-type=network.mojom.NetworkService`,
		"msedge.exe", ms, "Microsoft Edge", "135.0.3179.98", "Microsoft Edge", false)
	pChrome = proc(`C:\Program Files\Google\Chrome\Application\chrome.exe`,
		`"chrome.exe" --type=utility --utility-sub-type=network.mojom.NetworkService`,
		"chrome.exe", "Google LLC", "Google Chrome", "135.0.7049.115", "Google Chrome", false)
	pTeams = proc(`C:\Program Files\WindowsApps\MSTeams_25044.2208.3471.2155_x64__8wekyb3d8bbwe\`+
		`ms-teams.exe`, `"ms-teams.exe"`, "explorer.exe", ms, "Microsoft Teams",
		"25044.2208.3471.2155", "Microsoft Teams", false)
	pOutlook = proc(`C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE`,
		`"OUTLOOK.EXE"`, "explorer.exe", ms, "Microsoft Outlook", "16.0.18623.20208",
		"Microsoft Outlook", false)
	pOneDrive = proc(`C:\Program Files\Microsoft OneDrive\OneDrive.exe`,
		`"OneDrive.exe" /background`, "explorer.exe", ms, "Microsoft OneDrive",
		"25.050.0316.0003", "Microsoft OneDrive", false)
	pW3wp = proc(sys32+`inetsrv\w3wp.exe`,
		`c:\windows\system32\inetsrv\w3wp.exe -ap "DefaultAppPool"`,
		"svchost.exe", ms, "Internet Information Services", winVer, "IIS Worker Process", false)
	pSQL = proc(`C:\Program Files\Microsoft SQL Server\MSSQL16.MSSQLSERVER\MSSQL\Binn\sqlservr.exe`,
		`"sqlservr.exe" -sMSSQLSERVER`, "services.exe", ms, "Microsoft SQL Server",
		"2022.160.4165.4", "SQL Server Windows NT - 64 Bit", false)
	pPS = proc(sys32+`WindowsPowerShell\v1.0\powershell.exe`,
		`powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\Scripts\Get-Inventory.ps1`,
		"svchost.exe", ms, msWin, winVer, "Windows PowerShell", false)
	pPSBad = proc(sys32+`WindowsPowerShell\v1.0\powershell.exe`,
		`powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA`,
		"WINWORD.EXE", ms, msWin, winVer, "Windows PowerShell", false)
	pRundll = proc(sys32+"rundll32.exe", `rundll32.exe C:\Users\Public\Libraries\upd.dll,Start`,
		"powershell.exe", ms, msWin, winVer, "Windows host process (Rundll32)", false)
	pAgent = proc(`C:\Program Files\Microsoft Monitoring Agent\Agent\MonitoringHost.exe`,
		`"MonitoringHost.exe" -Embedding`, "HealthService.exe", ms, "System Center",
		"10.20.18069.0", "Host Process for Microsoft Monitoring Agent", true)
	pPython = proc(`C:\Program Files\Python312\python.exe`, `python.exe -m http.server 8000`,
		"cmd.exe", "Python Software Foundation", "Python", "3.12.9", "Python", false)
	pCmd = proc(sys32+"cmd.exe", `"cmd.exe"`, "explorer.exe", ms, msWin, winVer,
		"Windows Command Processor", false)
	pExplorer = proc(`C:\Windows\explorer.exe`, `C:\Windows\Explorer.EXE`, "userinit.exe", ms,
		msWin, winVer, "Windows Explorer", false)
	pWinword = proc(`C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE`,
		`"WINWORD.EXE" /n "C:\Users\Public\Downloads\invoice.docm"`, "explorer.exe", ms,
		"Microsoft Office", "16.0.18623.20208", "Microsoft Word", false)
	pMdatp = proc("/opt/microsoft/mdatp/sbin/wdavdaemon", "/opt/microsoft/mdatp/sbin/wdavdaemon",
		"systemd", "", "", "", "", true)
	pCurl = proc("/usr/bin/curl", "curl -fsSL https://packages.microsoft.com/keys/microsoft.asc",
		"bash", "", "", "", "", true)
	pApt = proc("/usr/lib/apt/methods/http", "/usr/lib/apt/methods/http", "apt-get",
		"", "", "", "", true)
	pSshd   = proc("/usr/sbin/sshd", "sshd: /usr/sbin/sshd -D", "systemd", "", "", "", "", true)
	pNginx  = proc("/usr/sbin/nginx", "nginx: worker process", "nginx", "", "", "", "", true)
	pNc     = proc("/usr/bin/nc.openbsd", "nc -lvnp 4444", "bash", "", "", "", "", true)
	pMacMde = proc("/Library/Application Support/Microsoft/Defender/wdavdaemon_enterprise.app/"+
		"Contents/MacOS/wdavdaemon_enterprise", "wdavdaemon_enterprise", "launchd",
		"", "", "", "", true)
	pMacWeb = proc("/System/Library/Frameworks/WebKit.framework/Versions/A/XPCServices/"+
		"com.apple.WebKit.Networking.xpc/Contents/MacOS/com.apple.WebKit.Networking",
		"com.apple.WebKit.Networking", "launchd", "", "", "", "", false)
)

// endpoint is a remote host with the URL paths clients request from it.
type endpoint struct {
	host   string
	scheme string
	paths  []string
	net    [3]int // its addresses are net.x
}

func ep(host, scheme string, a, b, c int, paths ...string) *endpoint {
	return &endpoint{host: host, scheme: scheme, paths: paths, net: [3]int{a, b, c}}
}

// defenderByRegion lists the region-specific Defender cloud endpoints.
var defenderByRegion = [][]*endpoint{
	regionUS: {
		ep("winatp-gw-eus.microsoft.com", "https", 20, 42, 73, "/commands", "/senseupload"),
		ep("winatp-gw-cus.microsoft.com", "https", 20, 44, 229, "/commands", "/senseupload"),
		ep("us-v20.events.data.microsoft.com", "https", 13, 69, 239, "/OneCollector/1.0/"),
		ep("us4-v20.events.data.microsoft.com", "https", 20, 189, 173, "/OneCollector/1.0/"),
		ep("us5-v20.events.data.microsoft.com", "https", 20, 42, 65, "/OneCollector/1.0/"),
		ep("us.vortex-win.data.microsoft.com", "https", 20, 42, 24, "/collect/v1"),
	},
	regionEU: {
		ep("winatp-gw-weu.microsoft.com", "https", 20, 50, 88, "/commands", "/senseupload"),
		ep("winatp-gw-neu.microsoft.com", "https", 20, 54, 37, "/commands", "/senseupload"),
		ep("eu-v20.events.data.microsoft.com", "https", 20, 42, 73, "/OneCollector/1.0/"),
		ep("eu.vortex-win.data.microsoft.com", "https", 20, 50, 201, "/collect/v1"),
	},
	regionUK: {
		ep("winatp-gw-uks.microsoft.com", "https", 51, 104, 164, "/commands", "/senseupload"),
		ep("winatp-gw-ukw.microsoft.com", "https", 51, 137, 3, "/commands", "/senseupload"),
		ep("uk-v20.events.data.microsoft.com", "https", 51, 104, 15, "/OneCollector/1.0/"),
		ep("uk.vortex-win.data.microsoft.com", "https", 51, 105, 71, "/collect/v1"),
	},
}

// Defender endpoints every region uses. The ones after the first three are
// real sensor or antivirus endpoints too, though not in our hunts' lists.
var (
	epSettings = ep("settings-win.data.microsoft.com", "https", 20, 42, 128,
		"/settings/v2.0/telemetry/UTC")
	epCtl = ep("ctldl.windowsupdate.com", "http", 93, 184, 221,
		"/msdownload/update/v3/static/trustedr/en/authrootstl.cab",
		"/msdownload/update/v3/static/trustedr/en/disallowedcertstl.cab")
	epEvents = ep("events.data.microsoft.com", "https", 13, 89, 179, "/OneCollector/1.0/")
	epCP     = ep("unitedstates.cp.wd.microsoft.com", "https", 52, 168, 117,
		"/wdcp.svc/bond/submitreport")
	epBlob = ep("automatedirstrprdcus.blob.core.windows.net", "https", 20, 209, 18,
		"/ir-uploads/package")
	epCRL = ep("crl.microsoft.com", "http", 23, 50, 52,
		"/pki/crl/products/MicCodSigPCA_08-31-2010.crl")
)

// web is ordinary outbound traffic: SaaS, search and developer sites.
var web = []*endpoint{
	ep("login.microsoftonline.com", "https", 20, 190, 151, "/common/oauth2/v2.0/token"),
	ep("outlook.office365.com", "https", 52, 96, 165, "/owa/", "/EWS/Exchange.asmx"),
	ep("teams.microsoft.com", "https", 52, 113, 194, "/api/mt/part/emea-02/beta/users/"),
	ep("contoso.sharepoint.com", "https", 13, 107, 136, "/sites/finance/Shared%20Documents/"),
	ep("contoso-my.sharepoint.com", "https", 13, 107, 138, "/personal/"),
	ep("www.bing.com", "https", 13, 107, 21, "/search?q=quarterly+report"),
	ep("www.google.com", "https", 142, 250, 185, "/search?q=kql+summarize"),
	ep("github.com", "https", 140, 82, 112, "/contoso/infra/pull/42"),
	ep("api.github.com", "https", 140, 82, 113, "/repos/contoso/infra"),
	ep("raw.githubusercontent.com", "https", 185, 199, 111, "/contoso/tools/main/setup.ps1"),
	ep("stackoverflow.com", "https", 104, 18, 32, "/questions/tagged/kql"),
	ep("www.linkedin.com", "https", 13, 107, 42, "/feed/"),
	ep("en.wikipedia.org", "https", 185, 15, 59, "/wiki/Kusto"),
	ep("cdn.jsdelivr.net", "https", 151, 101, 1, "/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css"),
	ep("fonts.gstatic.com", "https", 142, 250, 74, "/s/roboto/v32/KFOmCnqEu92Fr1Mu4mxK.woff2"),
	ep("www.youtube.com", "https", 142, 250, 72, "/watch?v=training"),
	ep("zoom.us", "https", 170, 114, 52, "/j/91234567890"),
	ep("slack.com", "https", 34, 223, 125, "/api/rtm.connect"),
	ep("s3.amazonaws.com", "https", 52, 217, 45, "/contoso-backups/"),
	ep("www.msn.com", "https", 204, 79, 197, "/en-us/feed"),
}

// system is operating-system background traffic.
var (
	epWU = ep("fe3cr.delivery.mp.microsoft.com", "https", 40, 125, 122,
		"/ClientWebService/client.asmx")
	epWUDl = ep("tlu.dl.delivery.mp.microsoft.com", "http", 8, 253, 45,
		"/filestreamingservice/files/0b9f4f34-0a1b-4bde-9d2b-5b2c7e4d1a20")
	epNCSI   = ep("www.msftconnecttest.com", "http", 23, 44, 229, "/connecttest.txt")
	epTime   = ep("time.windows.com", "udp", 168, 61, 215)
	epUbuntu = ep("archive.ubuntu.com", "http", 91, 189, 91,
		"/ubuntu/dists/noble-updates/InRelease")
	epPkgs  = ep("packages.microsoft.com", "https", 13, 107, 246, "/ubuntu/24.04/prod/dists/")
	epPaste = ep("pastebin.com", "https", 104, 20, 67, "/raw/7xKq2mPz")
)

// intranet services every site runs.
var intranet = []struct {
	host string // "" when the client connects by address
	last int    // last octet of the server in 10.site.0.0/24
	port int
	proc *process
}{
	{"dc01.contoso.local", 10, 445, pSystem},
	{"dc01.contoso.local", 10, 389, pLsass},
	{"", 10, 88, pLsass},
	{"", 11, 389, pLsass},
	{"fs01.contoso.local", 20, 445, pSystem},
	{"", 20, 445, pSystem},
	{"", 10, 135, pRPC},
	{"", 30, 1433, pPS},
	{"intranet.contoso.local", 40, 443, pEdge},
	{"", 41, 5985, pPS},
}
