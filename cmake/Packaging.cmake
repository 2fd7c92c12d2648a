# Install layout and CPack packages (.deb always, .rpm where rpmbuild exists).
install(FILES ${CMAKE_SOURCE_DIR}/systemd/onefirewall-flowd.service
        DESTINATION /lib/systemd/system)
install(FILES ${CMAKE_SOURCE_DIR}/config/onefirewall-flowd.yaml
        DESTINATION /etc/onefirewall-flowd)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/grafana/onefirewall-flowd.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/onefirewall-flowd/grafana)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/packaging/debian/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Debian wants the changelog compressed to the maximum and reproducibly (no name or time).
set(FLOWD_CHANGELOG_GZ ${CMAKE_BINARY_DIR}/changelog.gz)
execute_process(COMMAND gzip -9nc ${CMAKE_SOURCE_DIR}/packaging/debian/changelog
                OUTPUT_FILE ${FLOWD_CHANGELOG_GZ} COMMAND_ERROR_IS_FATAL ANY)
install(FILES ${FLOWD_CHANGELOG_GZ} DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME onefirewall-flowd)
set(CPACK_PACKAGE_VENDOR "OneFirewall")
set(CPACK_PACKAGE_CONTACT "OneFirewall engineering <support@onefirewall.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "NetFlow/IPFIX collector for OneFirewall's NetFlow Security Analysis API")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "onefirewall-flowd receives NetFlow v5, v9 and IPFIX from routers and
firewalls, names each exporter as a firewall, reduces flows to
conversations and delivers them to OneFirewall's API within its rate limit.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_SOURCE_DIR}/packaging/debian/prerm
    ${CMAKE_SOURCE_DIR}/packaging/debian/postrm
    ${CMAKE_SOURCE_DIR}/packaging/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

find_program(FLOWD_RPMBUILD rpmbuild)
if(FLOWD_RPMBUILD)
  list(APPEND CPACK_GENERATOR RPM)
  set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
  set(CPACK_RPM_PACKAGE_RELOCATABLE OFF)
  set(CPACK_RPM_PACKAGE_LICENSE "Proprietary")
  set(CPACK_RPM_PACKAGE_GROUP "System Environment/Daemons")
  set(CPACK_RPM_USER_FILELIST "%config(noreplace) /etc/onefirewall-flowd/onefirewall-flowd.yaml")
  set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION /etc /lib /lib/systemd /lib/systemd/system
      /usr/share/man /usr/share/man/man5 /usr/share/man/man8)
endif()

include(CPack)
