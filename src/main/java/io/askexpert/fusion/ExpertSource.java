package io.askexpert.fusion;

import java.util.List;

/** Every active expert of every tenant, as fusion sees them; read on each catalogue rebuild. */
interface ExpertSource {

    List<ExpertEntry> load();
}
