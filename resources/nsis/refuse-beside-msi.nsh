; Included by electron-builder's NSIS installer (electron-builder.yml: nsis.include).
;
; One Windows flavour per machine: IT's per-machine MSI, or the per-user self-updating NSIS
; installation where IT runs the private update feed, never both side by side (two copies,
; two protocol handlers, and the MSI's copy never updated). So the per-user installer, and
; every update electron-updater runs through it, stops when the MSI's product is installed:
; Windows Installer knows it by the MSI's upgrade code (electron-builder.yml: msi.upgradeCode;
; test/unit/build/installers.test.ts keeps the two equal).
;
; Silent (/S, as electron-updater runs it): no dialog, exit code 2.

!macro customInit
  ; MsiEnumRelatedProducts(upgradeCode, 0, index 0, productCode): 0 when a product with this
  ; upgrade code is installed (for the machine or for any user).
  System::Call 'msi::MsiEnumRelatedProductsW(w "{9D6416DB-9D6E-45B0-A548-193847CA6399}", i 0, i 0, w .r1) i .r0'
  ${If} $0 == 0
    MessageBox MB_OK|MB_ICONSTOP "Clinician Console is already installed for all users of this computer by your IT department (Windows Installer package $1). This installer would add a second copy for you alone, so it stops. Please ask IT if you need a newer version." /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
!macroend
