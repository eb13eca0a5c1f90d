# Compiler settings shared by the client (top level) and the backend.
# make SANITIZE=1 builds with AddressSanitizer + UndefinedBehaviorSanitizer into build/asan.
ifeq ($(SANITIZE),1)
  SAN   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  OPT   := -O1
  BUILD ?= build/asan
endif
CC       ?= cc
OPT      ?= -O2
BUILD    ?= build
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS   := -std=c17 -D_GNU_SOURCE -g $(OPT) $(SAN) $(WARN) -MMD -MP $(EXTRA_CFLAGS)
LDFLAGS  := $(SAN) $(EXTRA_LDFLAGS)
CURL_CFLAGS  := $(shell pkg-config --cflags libcurl 2>/dev/null)
CJSON_CFLAGS := $(shell pkg-config --cflags libcjson 2>/dev/null)
