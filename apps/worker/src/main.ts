console.log('worker: not implemented yet');
