# Finds libclang, the C API of Clang, as Debian installs it under
# /usr/lib/llvm-NN (package libclang-dev), newest version first.
#
# Sets:
#   LibClang_FOUND
#   LibClang_VERSION        for example 14.0.6
#   LibClang_INCLUDE_DIR    the directory that holds clang-c/Index.h
#   LibClang_LIBRARY        libclang.so
#   LibClang_RESOURCE_DIR   Clang's resource directory (builtin headers such as
#                           stddef.h), which libclang needs to parse anything
# and the imported target LibClang::LibClang.
#
# LIBCLANG_ROOT (a cache variable or the environment) names one LLVM
# installation to use instead, for example /usr/lib/llvm-15.

set(LIBCLANG_ROOT "$ENV{LIBCLANG_ROOT}" CACHE PATH "LLVM installation holding libclang")

set(_libclang_candidates "")
if(LIBCLANG_ROOT)
    list(APPEND _libclang_candidates "${LIBCLANG_ROOT}")
else()
    file(GLOB _libclang_dirs LIST_DIRECTORIES true "/usr/lib/llvm-*")
    # Newest first: llvm-9 must sort below llvm-14, so compare numerically.
    set(_libclang_versions "")
    foreach(dir IN LISTS _libclang_dirs)
        if(dir MATCHES "/llvm-([0-9]+)$")
            list(APPEND _libclang_versions "${CMAKE_MATCH_1}")
        endif()
    endforeach()
    list(SORT _libclang_versions COMPARE NATURAL ORDER DESCENDING)
    foreach(v IN LISTS _libclang_versions)
        list(APPEND _libclang_candidates "/usr/lib/llvm-${v}")
    endforeach()
endif()

foreach(root IN LISTS _libclang_candidates)
    if(EXISTS "${root}/include/clang-c/Index.h")
        find_library(_libclang_lib NAMES clang libclang PATHS "${root}/lib" NO_DEFAULT_PATH)
        if(_libclang_lib)
            set(LibClang_INCLUDE_DIR "${root}/include")
            set(LibClang_LIBRARY "${_libclang_lib}")
            # The resource directory is lib/clang/<full version>; take the newest.
            file(GLOB _libclang_res LIST_DIRECTORIES true "${root}/lib/clang/*")
            list(SORT _libclang_res COMPARE NATURAL ORDER DESCENDING)
            foreach(res IN LISTS _libclang_res)
                if(EXISTS "${res}/include/stddef.h")
                    set(LibClang_RESOURCE_DIR "${res}")
                    get_filename_component(LibClang_VERSION "${res}" NAME)
                    break()
                endif()
            endforeach()
            break()
        endif()
        unset(_libclang_lib CACHE)
    endif()
endforeach()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LibClang
    REQUIRED_VARS LibClang_LIBRARY LibClang_INCLUDE_DIR LibClang_RESOURCE_DIR
    VERSION_VAR LibClang_VERSION
    FAIL_MESSAGE "libclang not found under /usr/lib/llvm-*: install libclang-dev, or set LIBCLANG_ROOT")

if(LibClang_FOUND AND NOT TARGET LibClang::LibClang)
    add_library(LibClang::LibClang SHARED IMPORTED)
    set_target_properties(LibClang::LibClang PROPERTIES
        IMPORTED_LOCATION "${LibClang_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${LibClang_INCLUDE_DIR}")
endif()
mark_as_advanced(LibClang_INCLUDE_DIR LibClang_LIBRARY LibClang_RESOURCE_DIR)
