// SPDX-License-Identifier: GPL-2.0-or-later
// Ownership helpers: a move-only file descriptor and a scope guard.
#pragma once

#include <unistd.h>
#include <utility>

namespace sb {

// A detached open_tree() mount is dropped by the kernel when its fd closes, so this is
// also the guard for a half-built mount.
class UniqueFd {
      public:
        UniqueFd() = default;
        explicit UniqueFd(int fd) : fd_(fd) {}
        UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
        UniqueFd& operator=(UniqueFd&& o) noexcept {
                reset(o.release());
                return *this;
        }
        UniqueFd(const UniqueFd&) = delete;
        UniqueFd& operator=(const UniqueFd&) = delete;
        ~UniqueFd() { reset(); }

        int get() const { return fd_; }
        bool valid() const { return fd_ >= 0; }
        int release() { return std::exchange(fd_, -1); }
        void reset(int fd = -1) {
                if (fd_ >= 0)
                        ::close(fd_);
                fd_ = fd;
        }

      private:
        int fd_ = -1;
};

template <typename F>
class ScopeExit {
      public:
        explicit ScopeExit(F f) : f_(std::move(f)) {}
        ScopeExit(const ScopeExit&) = delete;
        ScopeExit& operator=(const ScopeExit&) = delete;
        ~ScopeExit() {
                if (armed_)
                        f_();
        }
        void dismiss() { armed_ = false; }

      private:
        F f_;
        bool armed_ = true;
};

} // namespace sb
