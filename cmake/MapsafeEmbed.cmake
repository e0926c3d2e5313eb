# mapsafe_embed(OUTPUT <file.c> KIND help|models ENTRIES SYM=path ...)
# Generates <file.c> at build time from the listed files (see embed.cmake),
# so editing a help text or a model rebuilds only what depends on it.
function(mapsafe_embed)
    cmake_parse_arguments(E "" "OUTPUT;KIND" "ENTRIES" ${ARGN})
    set(deps "")
    foreach(entry IN LISTS E_ENTRIES)
        string(REGEX MATCH "^[^=]+=(.*)$" _ "${entry}")
        list(APPEND deps "${CMAKE_MATCH_1}")
    endforeach()
    # "|" separates entries: a ";" list would not survive the command line.
    string(REPLACE ";" "|" inputs "${E_ENTRIES}")
    add_custom_command(
        OUTPUT "${E_OUTPUT}"
        COMMAND ${CMAKE_COMMAND} -DOUTPUT=${E_OUTPUT} -DKIND=${E_KIND} "-DINPUTS=${inputs}"
                -P ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
        DEPENDS ${deps} ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
        COMMENT "Embedding ${E_KIND} into ${E_OUTPUT}"
        VERBATIM)
endfunction()
