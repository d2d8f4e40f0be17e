// SPDX-License-Identifier: GPL-2.0-or-later
// The doctest runner of the unit tests.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
