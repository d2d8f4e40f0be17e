// SPDX-License-Identifier: GPL-2.0-or-later
// The error contract of the parent: Error, Result<T>, Status and SB_TRY.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace sb {

struct Error {
        int errnum = 0;  // 0 when no errno is involved
        std::string msg; // names the operation and the object: "open '/etc/x'"

        // "msg: strerror(errnum)", or just msg.
        std::string what() const;
};

struct Ok {};

// Shaped like C++23 std::expected so that a later switch is a rename.
template <typename T>
class [[nodiscard]] Result {
      public:
        Result(T value) : v_(std::move(value)) {}
        Result(Error e) : v_(std::move(e)) {}

        bool has_value() const { return v_.index() == 0; }
        explicit operator bool() const { return has_value(); }

        T& value() & { return std::get<0>(v_); }
        const T& value() const& { return std::get<0>(v_); }
        T&& value() && { return std::get<0>(std::move(v_)); }
        T& operator*() & { return value(); }
        const T& operator*() const& { return value(); }
        T* operator->() { return &value(); }
        const T* operator->() const { return &value(); }

        const Error& error() const& { return std::get<1>(v_); }
        Error&& error() && { return std::get<1>(std::move(v_)); }

      private:
        std::variant<T, Error> v_;
};

using Status = Result<Ok>;

// An error from errno for an operation on an object: err_errno(errno, "open '%s'", path).
Error err_errno(int errnum, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
// An error without errno.
Error err(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// Prefix context on the way up: "profile 'x': " + e.msg.
Error with_context(Error e, const std::string& prefix);

} // namespace sb

#define SB_TRY(expr)                                                                                         \
        do {                                                                                                 \
                auto sb_try_r_ = (expr);                                                                     \
                if (!sb_try_r_)                                                                              \
                        return std::move(sb_try_r_).error();                                                 \
        } while (0)
