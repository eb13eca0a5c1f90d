# boxoffice: the terminal box office (client, top level) and its serverless backend (backend/).
#   make run     install what is missing, start the local stack unless an API URL is configured, open the box office
#   make test    install what is missing, build everything, run every test
include common/flags.mk

CPPFLAGS := -Iinclude -Icommon/include $(CURL_CFLAGS) $(CJSON_CFLAGS)
LIBS     := -lncursesw -lcurl -lcjson -lqrencode -luuid -lmbedcrypto -lpthread -lm

COMMON_SRC := $(wildcard common/src/*.c)
CLIENT_SRC := $(filter-out src/main.c,$(wildcard src/*.c))
CLIENT_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(CLIENT_SRC) $(COMMON_SRC))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/test_*.c))
TEST_SUPPORT := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tests/support/*.c))

.PHONY: all client backend deps test unit-tests run local-up local-down bench fuzz check-memory package deploy clean install
all: client backend
client: $(BUILD)/boxoffice
backend:
	$(MAKE) -C backend all

deps:
	@scripts/install-deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@
$(BUILD)/libboxoffice.a: $(CLIENT_OBJ)
	@rm -f $@
	ar rcs $@ $^
$(BUILD)/boxoffice: $(BUILD)/obj/src/main.o $(BUILD)/libboxoffice.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)
$(BUILD)/tests/unit/%: tests/unit/%.c $(TEST_SUPPORT) $(BUILD)/libboxoffice.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/support $(CFLAGS) -o $@ $^ $(LDFLAGS) -lcmocka $(LIBS)
unit-tests: $(UNIT_TESTS)

test: deps
	@scripts/run-tests.sh

run: deps all
	@scripts/run.sh

local-up: deps all
	@scripts/local-stack.sh up
local-down:
	@scripts/local-stack.sh down

bench: deps all
	@scripts/bench.sh

fuzz: deps
	@scripts/fuzz.sh $(FUZZ_SECONDS)

check-memory: deps all
	@scripts/check-memory.sh

package:
	$(MAKE) -C backend package

# make deploy STAGE=prod [REGION=eu-central-1]: the zip, then scripts/deploy.sh (AWS credentials)
deploy: package
	@test -n "$(STAGE)" || { echo "usage: make deploy STAGE=<stage> [REGION=<region>]"; exit 64; }
	scripts/deploy.sh $(STAGE) $(REGION)

PREFIX ?= /usr/local
install: client
	install -D -m 755 $(BUILD)/boxoffice $(DESTDIR)$(PREFIX)/bin/boxoffice
	install -D -m 644 man/boxoffice.1 $(DESTDIR)$(PREFIX)/share/man/man1/boxoffice.1

clean:
	rm -rf build
	$(MAKE) -C backend clean

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
