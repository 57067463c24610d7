package dev.kubani.provision;

import dev.kubani.inventory.InventoryEditor;
import dev.kubani.inventory.InventoryStore;

/** remove-node step 4: take the host out of the inventory (locked, validated, atomic). */
public final class RemoveFromInventoryPhase implements Phase {
    @Override
    public String title() {
        return "Remove it from the inventory";
    }

    @Override
    public void run(PhaseContext ctx) throws Exception {
        NodeRemoval r = ctx.get(NodeRemoval.class);
        ctx.wet("localhost", "remove " + r.node + " from " + r.inventory, () -> {
            InventoryStore.update(r.inventory, true, i -> InventoryEditor.removeNode(i, r.node));
            r.inventoryEdited = true;
        });
        if (r.inventoryEdited) {
            ctx.console().info("  removed " + r.node + " from " + r.inventory);
        }
    }
}
