; Inno Setup 6 script: per-user installer for the frozen csr-desktop bundle (Windows).
;
;   1. build the bundle on Windows:   .venv\Scripts\pyinstaller --noconfirm build.spec
;   2. compile:                       "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" installer\csr-desktop.iss
;      (or installer\build_installer.ps1, which does both)
;   → dist\csr-desktop-<version>-setup.exe
;
; Version: read from csr-desktop.exe's version resource, which build.spec writes from
; csr_desktop.__version__ — the one place the version lives (pyproject.toml reads it too).
; `ISCC /DAppVersion=x.y.z` overrides it.
;
; No admin rights: installs into %LOCALAPPDATA%\Programs\csr-desktop, Start-menu entry and the
; .csrproj association under HKCU. IT may force a machine-wide install with /ALLUSERS (admin).
; Silent install for IT: see installer\README.md (/VERYSILENT /SUPPRESSMSGBOXES /NORESTART).
; Uninstall removes only what setup installed: users' projects (*.csrproj, wherever they are
; saved), settings and logs are never touched.

#define AppName "csr-desktop"
#define AppNameZh "企业社会责任自评材料"
#define BundleDir "..\dist\csr-desktop"
#define MainExe "csr-desktop.exe"
#define CliExe "csr-desktop-cli.exe"
#define ProgId "CsrDesktop.Project"

; Code signing (SmartScreen names the publisher; AppLocker publisher rules can allow the app):
; only when a certificate is configured, so unsigned builds still work. Define a sign tool on
; ISCC's command line and name it with /DSignTool (installer\build_installer.ps1 does both when
; CSR_SIGN_THUMBPRINT is set; see installer\README.md):
;   ISCC "/Scsrsign=signtool.exe sign /fd sha256 /sha1 <thumbprint> /tr <timestamp URL> /td sha256 $f"
;        /DSignTool=csrsign installer\csr-desktop.iss
; The bundle's own csr-desktop.exe and csr-desktop-cli.exe are signed before this script runs.

; Default folder; `ISCC /DDefaultDir=...` changes it (e.g. for Wine 8, which lacks {userpf}).
#ifndef DefaultDir
  #define DefaultDir "{autopf}\" + AppName
#endif

#ifndef AppVersion
  #define AppVersion GetStringFileInfo(AddBackslash(SourcePath) + BundleDir + "\" + MainExe, "ProductVersion")
#endif
#if AppVersion == ""
  #error Cannot read the version from the bundle's csr-desktop.exe: build it with build.spec first, or pass /DAppVersion=x.y.z
#endif

[Setup]
; AppId identifies the product for upgrades and uninstall: never change it.
AppId={{6E0C3B5A-2F4D-4C8E-9A57-5D1B3C7E9F21}
AppName={#AppNameZh}
AppVersion={#AppVersion}
AppVerName={#AppNameZh} {#AppVersion}
AppPublisher=csr-desktop
VersionInfoProductName={#AppName}
VersionInfoProductTextVersion={#AppVersion}
DefaultDirName={#DefaultDir}
DefaultGroupName={#AppNameZh}
DisableProgramGroupPage=yes
DisableDirPage=auto
; Per-user by default, no UAC prompt; /ALLUSERS on the command line for a machine-wide install.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
; Qt 6 needs Windows 10 1809 (build 17763) or later: refuse older systems at once.
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
; Close a running csr-desktop (Restart Manager) before replacing its files on upgrade.
CloseApplications=yes
RestartApplications=no
UninstallDisplayIcon={app}\{#MainExe}
UninstallDisplayName={#AppNameZh} {#AppVersion}
OutputDir=..\dist
OutputBaseFilename=csr-desktop-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
#if FileExists(AddBackslash(SourcePath) + "..\build\csr-desktop.ico")
; drawn by packaging/make_icon.py during the PyInstaller build
SetupIconFile=..\build\csr-desktop.ico
#endif
SetupLogging=yes
#ifdef SignTool
SignTool={#SignTool}
; the uninstaller written at install time carries the same signature
SignedUninstaller=yes
#endif

[Languages]
; Inno Setup ships no Simplified Chinese wizard text: put the community translation
; ChineseSimplified.isl (https://jrsoftware.org/files/istrans/) next to this script, or into
; the compiler's Languages\Unofficial folder, and the wizard is in Chinese; otherwise English.
#if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "zh_CN"; MessagesFile: "ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\ChineseSimplified.isl")
Name: "zh_CN"; MessagesFile: "compiler:Languages\Unofficial\ChineseSimplified.isl"
#else
Name: "en"; MessagesFile: "compiler:Default.isl"
#endif

[CustomMessages]
DesktopIconTask=在桌面创建快捷方式 / Create a desktop shortcut
ProjectFileType=社会责任自评项目
LaunchNow=启动 {#AppNameZh}

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIconTask}"; Flags: unchecked

[Files]
; The whole onedir bundle: both executables and their shared _internal\ folder.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "README-IT.txt"; DestDir: "{app}"; Flags: ignoreversion

[InstallDelete]
; An upgrade replaces the bundle's library folder whole: no stale DLL of an older Qt stays.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppNameZh}"; Filename: "{app}\{#MainExe}"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppNameZh}"; Filename: "{app}\{#MainExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Registry]
; .csrproj → csr-desktop. HKA = HKCU for the default per-user install (HKLM with /ALLUSERS).
Root: HKA; Subkey: "Software\Classes\.csrproj"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.csrproj\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:ProjectFileType}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#MainExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#MainExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#MainExe}\SupportedTypes"; ValueType: string; ValueName: ".csrproj"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#MainExe}"; Description: "{cm:LaunchNow}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the uninstaller removes the files it installed and nothing else —
; projects, %APPDATA%\csr-desktop (settings, recent files) and the logs stay.
