package gen

import (
	"github.com/huntql/huntql/internal/column"
	"github.com/huntql/huntql/internal/types"
)

// The column lists below follow the built-in Advanced Hunting schema; the
// constants index a record's cells. A test checks both against the schema
// reference in ../shared when it is present.

// Columns of DeviceNetworkEvents.
const (
	nTimestamp = iota
	nDeviceId
	nDeviceName
	nActionType
	nRemoteIP
	nRemotePort
	nRemoteUrl
	nLocalIP
	nLocalPort
	nProtocol
	nLocalIPType
	nRemoteIPType
	nInitiatingProcessSHA1
	nInitiatingProcessSHA256
	nInitiatingProcessMD5
	nInitiatingProcessFileName
	nInitiatingProcessFileSize
	nInitiatingProcessVersionInfoCompanyName
	nInitiatingProcessVersionInfoProductName
	nInitiatingProcessVersionInfoProductVersion
	nInitiatingProcessVersionInfoInternalFileName
	nInitiatingProcessVersionInfoOriginalFileName
	nInitiatingProcessVersionInfoFileDescription
	nInitiatingProcessId
	nInitiatingProcessCommandLine
	nInitiatingProcessCreationTime
	nInitiatingProcessFolderPath
	nInitiatingProcessParentFileName
	nInitiatingProcessParentId
	nInitiatingProcessParentCreationTime
	nInitiatingProcessAccountDomain
	nInitiatingProcessAccountName
	nInitiatingProcessAccountSid
	nInitiatingProcessAccountUpn
	nInitiatingProcessAccountObjectId
	nInitiatingProcessIntegrityLevel
	nInitiatingProcessTokenElevation
	nReportId
	nAppGuardContainerId
	nAdditionalFields
	nInitiatingProcessSessionId
	nIsInitiatingProcessRemoteSession
	nInitiatingProcessRemoteSessionDeviceName
	nInitiatingProcessRemoteSessionIP
	nInitiatingProcessUniqueId
	nLogonID
	nColumns
)

var networkSchema = column.Schema{
	{Name: "Timestamp", Type: types.Datetime},
	{Name: "DeviceId", Type: types.String},
	{Name: "DeviceName", Type: types.String},
	{Name: "ActionType", Type: types.String},
	{Name: "RemoteIP", Type: types.String},
	{Name: "RemotePort", Type: types.Int},
	{Name: "RemoteUrl", Type: types.String},
	{Name: "LocalIP", Type: types.String},
	{Name: "LocalPort", Type: types.Int},
	{Name: "Protocol", Type: types.String},
	{Name: "LocalIPType", Type: types.String},
	{Name: "RemoteIPType", Type: types.String},
	{Name: "InitiatingProcessSHA1", Type: types.String},
	{Name: "InitiatingProcessSHA256", Type: types.String},
	{Name: "InitiatingProcessMD5", Type: types.String},
	{Name: "InitiatingProcessFileName", Type: types.String},
	{Name: "InitiatingProcessFileSize", Type: types.Long},
	{Name: "InitiatingProcessVersionInfoCompanyName", Type: types.String},
	{Name: "InitiatingProcessVersionInfoProductName", Type: types.String},
	{Name: "InitiatingProcessVersionInfoProductVersion", Type: types.String},
	{Name: "InitiatingProcessVersionInfoInternalFileName", Type: types.String},
	{Name: "InitiatingProcessVersionInfoOriginalFileName", Type: types.String},
	{Name: "InitiatingProcessVersionInfoFileDescription", Type: types.String},
	{Name: "InitiatingProcessId", Type: types.Long},
	{Name: "InitiatingProcessCommandLine", Type: types.String},
	{Name: "InitiatingProcessCreationTime", Type: types.Datetime},
	{Name: "InitiatingProcessFolderPath", Type: types.String},
	{Name: "InitiatingProcessParentFileName", Type: types.String},
	{Name: "InitiatingProcessParentId", Type: types.Long},
	{Name: "InitiatingProcessParentCreationTime", Type: types.Datetime},
	{Name: "InitiatingProcessAccountDomain", Type: types.String},
	{Name: "InitiatingProcessAccountName", Type: types.String},
	{Name: "InitiatingProcessAccountSid", Type: types.String},
	{Name: "InitiatingProcessAccountUpn", Type: types.String},
	{Name: "InitiatingProcessAccountObjectId", Type: types.String},
	{Name: "InitiatingProcessIntegrityLevel", Type: types.String},
	{Name: "InitiatingProcessTokenElevation", Type: types.String},
	{Name: "ReportId", Type: types.Long},
	{Name: "AppGuardContainerId", Type: types.String},
	{Name: "AdditionalFields", Type: types.String},
	{Name: "InitiatingProcessSessionId", Type: types.Long},
	{Name: "IsInitiatingProcessRemoteSession", Type: types.Bool},
	{Name: "InitiatingProcessRemoteSessionDeviceName", Type: types.String},
	{Name: "InitiatingProcessRemoteSessionIP", Type: types.String},
	{Name: "InitiatingProcessUniqueId", Type: types.String},
	{Name: "LogonID", Type: types.Long},
}

// Columns of DeviceInfo.
const (
	iTimestamp = iota
	iDeviceId
	iDeviceName
	iClientVersion
	iPublicIP
	iOSArchitecture
	iOSPlatform
	iOSBuild
	iIsAzureADJoined
	iJoinType
	iAadDeviceId
	iLoggedOnUsers
	iRegistryDeviceTag
	iOSVersion
	iMachineGroup
	iReportId
	iOnboardingStatus
	iAdditionalFields
	iDeviceCategory
	iDeviceType
	iDeviceSubtype
	iModel
	iVendor
	iOSDistribution
	iOSVersionInfo
	iMergedDeviceIds
	iMergedToDeviceId
	iIsInternetFacing
	iSensorHealthState
	iIsExcluded
	iExclusionReason
	iExposureLevel
	iAssetValue
	iDeviceManualTags
	iDeviceDynamicTags
	iConnectivityType
	iHostDeviceId
	iAzureResourceId
	iAwsResourceName
	iGcpFullResourceName
	iHardwareUuid
	iCloudPlatforms
	iAzureVmId
	iAzureVmSubscriptionId
	iIsTransient
	iOsBuildRevision
	iMitigationStatus
	iSite
	iDiscoverySources
	iColumns
)

var infoSchema = column.Schema{
	{Name: "Timestamp", Type: types.Datetime},
	{Name: "DeviceId", Type: types.String},
	{Name: "DeviceName", Type: types.String},
	{Name: "ClientVersion", Type: types.String},
	{Name: "PublicIP", Type: types.String},
	{Name: "OSArchitecture", Type: types.String},
	{Name: "OSPlatform", Type: types.String},
	{Name: "OSBuild", Type: types.Long},
	{Name: "IsAzureADJoined", Type: types.Bool},
	{Name: "JoinType", Type: types.String},
	{Name: "AadDeviceId", Type: types.String},
	{Name: "LoggedOnUsers", Type: types.String},
	{Name: "RegistryDeviceTag", Type: types.String},
	{Name: "OSVersion", Type: types.String},
	{Name: "MachineGroup", Type: types.String},
	{Name: "ReportId", Type: types.Long},
	{Name: "OnboardingStatus", Type: types.String},
	{Name: "AdditionalFields", Type: types.String},
	{Name: "DeviceCategory", Type: types.String},
	{Name: "DeviceType", Type: types.String},
	{Name: "DeviceSubtype", Type: types.String},
	{Name: "Model", Type: types.String},
	{Name: "Vendor", Type: types.String},
	{Name: "OSDistribution", Type: types.String},
	{Name: "OSVersionInfo", Type: types.String},
	{Name: "MergedDeviceIds", Type: types.String},
	{Name: "MergedToDeviceId", Type: types.String},
	{Name: "IsInternetFacing", Type: types.Bool},
	{Name: "SensorHealthState", Type: types.String},
	{Name: "IsExcluded", Type: types.Bool},
	{Name: "ExclusionReason", Type: types.String},
	{Name: "ExposureLevel", Type: types.String},
	{Name: "AssetValue", Type: types.String},
	{Name: "DeviceManualTags", Type: types.String},
	{Name: "DeviceDynamicTags", Type: types.String},
	{Name: "ConnectivityType", Type: types.String},
	{Name: "HostDeviceId", Type: types.String},
	{Name: "AzureResourceId", Type: types.String},
	{Name: "AwsResourceName", Type: types.String},
	{Name: "GcpFullResourceName", Type: types.String},
	{Name: "HardwareUuid", Type: types.String},
	{Name: "CloudPlatforms", Type: types.String},
	{Name: "AzureVmId", Type: types.String},
	{Name: "AzureVmSubscriptionId", Type: types.String},
	{Name: "IsTransient", Type: types.Bool},
	{Name: "OsBuildRevision", Type: types.String},
	{Name: "MitigationStatus", Type: types.String},
	{Name: "Site", Type: types.String},
	{Name: "DiscoverySources", Type: types.String},
}

// Columns of DeviceNetworkInfo.
const (
	aTimestamp = iota
	aDeviceId
	aDeviceName
	aNetworkAdapterName
	aMacAddress
	aNetworkAdapterType
	aNetworkAdapterStatus
	aTunnelType
	aConnectedNetworks
	aDnsAddresses
	aIPv4Dhcp
	aIPv6Dhcp
	aDefaultGateways
	aIPAddresses
	aReportId
	aNetworkAdapterVendor
	aOnboardingStatus
	aNetworkAdapterDnsSuffix
	aColumns
)

var adapterSchema = column.Schema{
	{Name: "Timestamp", Type: types.Datetime},
	{Name: "DeviceId", Type: types.String},
	{Name: "DeviceName", Type: types.String},
	{Name: "NetworkAdapterName", Type: types.String},
	{Name: "MacAddress", Type: types.String},
	{Name: "NetworkAdapterType", Type: types.String},
	{Name: "NetworkAdapterStatus", Type: types.String},
	{Name: "TunnelType", Type: types.String},
	{Name: "ConnectedNetworks", Type: types.String},
	{Name: "DnsAddresses", Type: types.String},
	{Name: "IPv4Dhcp", Type: types.String},
	{Name: "IPv6Dhcp", Type: types.String},
	{Name: "DefaultGateways", Type: types.String},
	{Name: "IPAddresses", Type: types.String},
	{Name: "ReportId", Type: types.Long},
	{Name: "NetworkAdapterVendor", Type: types.String},
	{Name: "OnboardingStatus", Type: types.String},
	{Name: "NetworkAdapterDnsSuffix", Type: types.String},
}

// Columns of DeviceProcessEvents.
const (
	pTimestamp = iota
	pDeviceId
	pDeviceName
	pActionType
	pFileName
	pFolderPath
	pSHA1
	pSHA256
	pMD5
	pFileSize
	pProcessVersionInfoCompanyName
	pProcessVersionInfoProductName
	pProcessVersionInfoProductVersion
	pProcessVersionInfoInternalFileName
	pProcessVersionInfoOriginalFileName
	pProcessVersionInfoFileDescription
	pProcessId
	pProcessCommandLine
	pProcessIntegrityLevel
	pProcessTokenElevation
	pProcessCreationTime
	pAccountDomain
	pAccountName
	pAccountSid
	pAccountUpn
	pAccountObjectId
	pLogonId
	pInitiatingProcessAccountDomain
	pInitiatingProcessAccountName
	pInitiatingProcessAccountSid
	pInitiatingProcessAccountUpn
	pInitiatingProcessAccountObjectId
	pInitiatingProcessLogonId
	pInitiatingProcessIntegrityLevel
	pInitiatingProcessTokenElevation
	pInitiatingProcessSHA1
	pInitiatingProcessSHA256
	pInitiatingProcessMD5
	pInitiatingProcessFileName
	pInitiatingProcessFileSize
	pInitiatingProcessVersionInfoCompanyName
	pInitiatingProcessVersionInfoProductName
	pInitiatingProcessVersionInfoProductVersion
	pInitiatingProcessVersionInfoInternalFileName
	pInitiatingProcessVersionInfoOriginalFileName
	pInitiatingProcessVersionInfoFileDescription
	pInitiatingProcessId
	pInitiatingProcessCommandLine
	pInitiatingProcessCreationTime
	pInitiatingProcessFolderPath
	pInitiatingProcessParentId
	pInitiatingProcessParentFileName
	pInitiatingProcessParentCreationTime
	pInitiatingProcessSignerType
	pInitiatingProcessSignatureStatus
	pReportId
	pAppGuardContainerId
	pAdditionalFields
	pInitiatingProcessSessionId
	pIsInitiatingProcessRemoteSession
	pInitiatingProcessRemoteSessionDeviceName
	pInitiatingProcessRemoteSessionIP
	pCreatedProcessSessionId
	pIsProcessRemoteSession
	pProcessRemoteSessionDeviceName
	pProcessRemoteSessionIP
	pProcessUniqueId
	pInitiatingProcessUniqueId
	pLogonID
	pColumns
)

var processSchema = column.Schema{
	{Name: "Timestamp", Type: types.Datetime},
	{Name: "DeviceId", Type: types.String},
	{Name: "DeviceName", Type: types.String},
	{Name: "ActionType", Type: types.String},
	{Name: "FileName", Type: types.String},
	{Name: "FolderPath", Type: types.String},
	{Name: "SHA1", Type: types.String},
	{Name: "SHA256", Type: types.String},
	{Name: "MD5", Type: types.String},
	{Name: "FileSize", Type: types.Long},
	{Name: "ProcessVersionInfoCompanyName", Type: types.String},
	{Name: "ProcessVersionInfoProductName", Type: types.String},
	{Name: "ProcessVersionInfoProductVersion", Type: types.String},
	{Name: "ProcessVersionInfoInternalFileName", Type: types.String},
	{Name: "ProcessVersionInfoOriginalFileName", Type: types.String},
	{Name: "ProcessVersionInfoFileDescription", Type: types.String},
	{Name: "ProcessId", Type: types.Long},
	{Name: "ProcessCommandLine", Type: types.String},
	{Name: "ProcessIntegrityLevel", Type: types.String},
	{Name: "ProcessTokenElevation", Type: types.String},
	{Name: "ProcessCreationTime", Type: types.Datetime},
	{Name: "AccountDomain", Type: types.String},
	{Name: "AccountName", Type: types.String},
	{Name: "AccountSid", Type: types.String},
	{Name: "AccountUpn", Type: types.String},
	{Name: "AccountObjectId", Type: types.String},
	{Name: "LogonId", Type: types.Long},
	{Name: "InitiatingProcessAccountDomain", Type: types.String},
	{Name: "InitiatingProcessAccountName", Type: types.String},
	{Name: "InitiatingProcessAccountSid", Type: types.String},
	{Name: "InitiatingProcessAccountUpn", Type: types.String},
	{Name: "InitiatingProcessAccountObjectId", Type: types.String},
	{Name: "InitiatingProcessLogonId", Type: types.Long},
	{Name: "InitiatingProcessIntegrityLevel", Type: types.String},
	{Name: "InitiatingProcessTokenElevation", Type: types.String},
	{Name: "InitiatingProcessSHA1", Type: types.String},
	{Name: "InitiatingProcessSHA256", Type: types.String},
	{Name: "InitiatingProcessMD5", Type: types.String},
	{Name: "InitiatingProcessFileName", Type: types.String},
	{Name: "InitiatingProcessFileSize", Type: types.Long},
	{Name: "InitiatingProcessVersionInfoCompanyName", Type: types.String},
	{Name: "InitiatingProcessVersionInfoProductName", Type: types.String},
	{Name: "InitiatingProcessVersionInfoProductVersion", Type: types.String},
	{Name: "InitiatingProcessVersionInfoInternalFileName", Type: types.String},
	{Name: "InitiatingProcessVersionInfoOriginalFileName", Type: types.String},
	{Name: "InitiatingProcessVersionInfoFileDescription", Type: types.String},
	{Name: "InitiatingProcessId", Type: types.Long},
	{Name: "InitiatingProcessCommandLine", Type: types.String},
	{Name: "InitiatingProcessCreationTime", Type: types.Datetime},
	{Name: "InitiatingProcessFolderPath", Type: types.String},
	{Name: "InitiatingProcessParentId", Type: types.Long},
	{Name: "InitiatingProcessParentFileName", Type: types.String},
	{Name: "InitiatingProcessParentCreationTime", Type: types.Datetime},
	{Name: "InitiatingProcessSignerType", Type: types.String},
	{Name: "InitiatingProcessSignatureStatus", Type: types.String},
	{Name: "ReportId", Type: types.Long},
	{Name: "AppGuardContainerId", Type: types.String},
	{Name: "AdditionalFields", Type: types.String},
	{Name: "InitiatingProcessSessionId", Type: types.Long},
	{Name: "IsInitiatingProcessRemoteSession", Type: types.Bool},
	{Name: "InitiatingProcessRemoteSessionDeviceName", Type: types.String},
	{Name: "InitiatingProcessRemoteSessionIP", Type: types.String},
	{Name: "CreatedProcessSessionId", Type: types.Long},
	{Name: "IsProcessRemoteSession", Type: types.Bool},
	{Name: "ProcessRemoteSessionDeviceName", Type: types.String},
	{Name: "ProcessRemoteSessionIP", Type: types.String},
	{Name: "ProcessUniqueId", Type: types.String},
	{Name: "InitiatingProcessUniqueId", Type: types.String},
	{Name: "LogonID", Type: types.Long},
}
