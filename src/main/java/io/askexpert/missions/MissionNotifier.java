package io.askexpert.missions;

/**
 * Where a mission's notifications go beyond its stream: the tenant's webhook when one is
 * configured. Called once per notification (inside a recorded call), never waiting for a receiver.
 */
interface MissionNotifier {

    /**
     * @param key  unique per notification within the mission (a checkpoint's, the completion's)
     * @param type {@code checkpoint_raised}, {@code mission_completed}, {@code mission_failed}
     */
    void notify(Mission mission, String key, String type, String title, String message, String status);

    MissionNotifier NONE = (mission, key, type, title, message, status) -> { };
}
