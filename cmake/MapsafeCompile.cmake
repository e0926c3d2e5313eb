# Compiler settings shared by every mapsafe target.
#
# MAPSAFE_WERROR turns warnings into errors (CI sets it).
# MAPSAFE_SANITIZE is passed to -fsanitize= for the whole build, for example
# "address,undefined" or "thread"; scripts/test builds those variants.

option(MAPSAFE_WERROR "Treat compiler warnings as errors" OFF)
set(MAPSAFE_SANITIZE "" CACHE STRING "Comma-separated -fsanitize= list for the whole build")

if(MAPSAFE_SANITIZE)
    add_compile_options(-fsanitize=${MAPSAFE_SANITIZE} -fno-omit-frame-pointer
                        -fno-sanitize-recover=all -g)
    add_link_options(-fsanitize=${MAPSAFE_SANITIZE})
endif()

# Project code gets the strict warning set; vendored third-party code does not.
function(mapsafe_strict_warnings target)
    target_compile_options(${target} PRIVATE
        -Wall -Wextra -Wshadow -Wno-unused-parameter
        $<$<COMPILE_LANGUAGE:C>:-Wstrict-prototypes -Wmissing-prototypes>
        $<$<BOOL:${MAPSAFE_WERROR}>:-Werror>)
    target_compile_definitions(${target} PRIVATE _POSIX_C_SOURCE=200809L)
endfunction()
