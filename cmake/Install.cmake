# `cmake --install` lays out the binary tarball: bin/deltacat, lib/libdeltacat.so plus the
# Arrow libraries it links (taken from the pinned pyarrow), and the public headers.
include(GNUInstallDirs)
install(TARGETS deltacat deltacat_cli
        RUNTIME DESTINATION bin
        LIBRARY DESTINATION lib)
install(DIRECTORY include/deltacat DESTINATION include)
install(FILES ${DELTACAT_ARROW_LIBRARIES} DESTINATION lib)
install(FILES README.md CHANGELOG.md VERSION DESTINATION share/deltacat)
