; The Windows installer of 社区台账, built by scripts/dist.sh:
;   makensis -DVERSION=1.2.3 -DVERSION4=1.2.3.0 -DEXE=shequ.exe -DICON=shequ.ico
;            -DPUBLISHER=Shequ -DOUT=setup.exe scripts/dist/shequ.nsi
; It installs for the signed-in user alone, with no administrator rights
; (an office worker rarely has them): the program in
; %LOCALAPPDATA%\Programs\Shequ, 社区台账 in the Start menu and on the
; desktop, the uninstaller under HKCU. The data (%APPDATA%\Shequ: the
; database, its copies before upgrades, the log, the audit key) is not the
; installer's: installing a newer version over an older one keeps it (the
; program migrates it on first start, after a copy), and uninstalling
; keeps it unless the user ticks its box.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!include MUI2.nsh
!include FileFunc.nsh

!define APPNAME "社区台账"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Shequ"

Name "${APPNAME}"
OutFile "${OUT}"
InstallDir "$LOCALAPPDATA\Programs\Shequ"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "© ${PUBLISHER}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} ${VERSION} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\shequ.exe"
!define MUI_FINISHPAGE_RUN_TEXT "现在打开${APPNAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
; The uninstaller asks whether the data goes too (kept unless ticked).
!define MUI_COMPONENTSPAGE_TEXT_TOP "您的台账数据（$APPDATA\Shequ）默认保留，重新安装后可以接着用。勾选第二项会永久删除这些数据，请先备份。"
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Section "${APPNAME}"
	SetShellVarContext current
	SetOutPath "$INSTDIR"
	File "/oname=shequ.exe" "${EXE}"
	WriteUninstaller "$INSTDIR\uninstall.exe"
	CreateShortCut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\shequ.exe"
	CreateShortCut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\shequ.exe"
	WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APPNAME}"
	WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
	WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
	WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\shequ.exe"
	WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
	WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
	WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
	WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
	WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
	${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
	WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "un.卸载程序（保留数据）"
	SectionIn RO
	SetShellVarContext current
	Delete "$SMPROGRAMS\${APPNAME}.lnk"
	Delete "$DESKTOP\${APPNAME}.lnk"
	Delete "$INSTDIR\shequ.exe"
	Delete "$INSTDIR\uninstall.exe"
	RMDir "$INSTDIR"
	DeleteRegKey HKCU "${UNINST_KEY}"
SectionEnd

; Off unless ticked, and never in a silent uninstall (/S).
Section /o "un.同时永久删除我的台账数据"
	SetShellVarContext current
	RMDir /r "$APPDATA\Shequ"
	RMDir /r "$APPDATA\fyne\cn.shequ.desktop"
SectionEnd
