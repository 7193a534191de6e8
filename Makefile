# The two commands: `make demo` and `make test` (README.md). Everything goes through CMake presets.
.PHONY: all build deps test demo clean bench format

CITYDIP := build/citydip
DB ?= citydip.db

all: build

deps:
	@scripts/install-deps

build/build.ninja: CMakeLists.txt CMakePresets.json
	cmake --preset default

build: build/build.ninja
	cmake --build --preset default

test: deps
	cmake --preset default
	cmake --build --preset default
	ctest --preset default

demo: deps build
	@scripts/demo "$(DB)"

bench: build
	@bench/run-all

format:
	clang-format -i $$(git ls-files '*.h' '*.cpp')

clean:
	rm -rf build
