/** @odoo-module **/

import { Component, onWillStart, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { useBus, useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * Loading screen of an export shipment: a hardware scanner (keyboard wedge) scans products,
 * cartons, GS1 labels and container numbers; every scan is counted by the server
 * (sbk.shipment.on_barcode_scanned), a refused scan shows its reason and sounds an alarm.
 */
export class SbkLoadingScreen extends Component {
    static template = "sbk_trade.LoadingScreen";
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        const barcode = useService("barcode");
        this.manualInput = useRef("manualInput");
        this.shipmentId =
            this.props.action.params?.shipment_id || this.props.action.context?.active_id;
        this.state = useState({ data: null, message: "", error: false, busy: false });
        useBus(barcode.bus, "barcode_scanned", (ev) => this.onScan(ev.detail.barcode));
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await rpc(`/sbk_trade/shipment/${this.shipmentId}/loading`);
    }

    playError() {
        try {
            const audio = new Audio("/barcodes/static/src/audio/error.mp3");
            audio.play().catch(() => {});
        } catch {
            // No audio device: the red message is the cue.
        }
    }

    async onScan(barcode) {
        if (!barcode) {
            return;
        }
        try {
            const result = await this.orm.call("sbk.shipment", "on_barcode_scanned", [
                [this.shipmentId],
                barcode,
            ]);
            this.state.error = false;
            this.state.message = result.message;
        } catch (error) {
            this.state.error = true;
            this.state.message = error.data?.message || error.message || _t("Scan refused");
            this.playError();
        }
        await this.load();
    }

    onManualKeydown(ev) {
        if (ev.key === "Enter") {
            const value = ev.target.value.trim();
            ev.target.value = "";
            this.onScan(value);
        }
    }

    async onFinish() {
        this.state.busy = true;
        try {
            await this.orm.call("sbk.shipment", "action_done_loading", [[this.shipmentId]]);
            this.notification.add(_t("Loading finished: the deliveries are validated."), {
                type: "success",
            });
            await this.onBack();
        } finally {
            this.state.busy = false;
        }
    }

    async onBack() {
        await this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "sbk.shipment",
            res_id: this.shipmentId,
            views: [[false, "form"]],
            target: "current",
        });
    }

    lineClass(line) {
        if (line.loaded_qty >= line.quantity && line.quantity > 0) {
            return "table-success";
        }
        return line.loaded_qty > 0 ? "table-info" : "";
    }
}

registry.category("actions").add("sbk_trade.loading_screen", SbkLoadingScreen);
