package io.askexpert.queue;

import org.junit.jupiter.api.BeforeEach;

class InProcessMissionQueueTest extends MissionQueueContract {

    private InProcessMissionQueue queue;

    @BeforeEach
    void fresh() {
        queue = new InProcessMissionQueue();
    }

    @Override
    MissionQueue queue() {
        return queue;
    }

    @Override
    MissionQueue takerQueue() {
        return queue;
    }
}
