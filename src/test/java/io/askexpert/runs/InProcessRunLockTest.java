package io.askexpert.runs;

import java.time.Clock;

class InProcessRunLockTest extends RunLockContract {

    @Override
    RunLock lock() {
        return new InProcessRunLock(Clock.systemUTC());
    }
}
